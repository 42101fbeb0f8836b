using RaftVisualizer.Core.Events;

namespace RaftVisualizer.Core.Clients;

/// <summary>
/// The sentences that explain client redirects and retries. They are formatted once per node
/// (or pair of nodes) and then reused: every redirected request carries one.
/// </summary>
internal static class Reasons
{
    private const int MaxNode = 9; // ClusterOptions allows 1 to 9 nodes
    private static readonly string?[,] SaidLeaderIsCache = new string?[MaxNode + 1, MaxNode + 1];
    private static readonly string?[,] NotLeaderTryCache = new string?[MaxNode + 1, MaxNode + 1];
    private static readonly string?[] DidNotAnswerCache = new string?[MaxNode + 1];
    private static readonly string?[] KnewNoLeaderCache = new string?[MaxNode + 1];
    private static readonly string?[] NotLeaderKnowsNoneCache = new string?[MaxNode + 1];

    /// <summary>The sentence for a client attempt's route, as the attempt list shows it.</summary>
    public static string For(ClientRouted route) => route switch
    {
        { Route: ClientRoute.Random } => "the client picked a server at random",
        { Route: ClientRoute.Told } => "the client was told to use it",
        { Route: ClientRoute.Redirected, From: { } from, Leader: { } leader } => SaidLeaderIs(from, leader),
        { Route: ClientRoute.NoAnswer, From: { } from } => DidNotAnswer(from),
        { From: { } from } => KnewNoLeader(from),
        _ => route.Route.ToString(),
    };

    public static string SaidLeaderIs(NodeId from, NodeId leader) =>
        Pair(SaidLeaderIsCache, from, leader, static (f, l) => $"{f} said the leader is {l}");

    public static string NotLeaderTry(NodeId node, NodeId leader) =>
        Pair(NotLeaderTryCache, node, leader, static (n, l) => $"{n} is not the leader; try {l}");

    public static string DidNotAnswer(NodeId node) => Single(DidNotAnswerCache, node, static n => $"{n} did not answer in time");

    public static string KnewNoLeader(NodeId node) => Single(KnewNoLeaderCache, node, static n => $"{n} knew no leader it could trust");

    public static string NotLeaderKnowsNone(NodeId node) =>
        Single(NotLeaderKnowsNoneCache, node, static n => $"{n} is not the leader and knows of none");

    private static string Single(string?[] cache, NodeId node, Func<NodeId, string> format) =>
        InRange(node) ? cache[node.Value] ??= format(node) : format(node);

    private static string Pair(string?[,] cache, NodeId a, NodeId b, Func<NodeId, NodeId, string> format) =>
        InRange(a) && InRange(b) ? cache[a.Value, b.Value] ??= format(a, b) : format(a, b);

    private static bool InRange(NodeId node) => node.Value is >= 1 and <= MaxNode;
}
