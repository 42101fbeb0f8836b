using Blazor.Diagrams.Core.Geometry;
using Blazor.Diagrams.Core.Models;
using RaftVisualizer.Core;
using RaftVisualizer.Core.Frames;

namespace RaftVisualizer.Components.Cluster;

/// <summary>What one server's widget draws, taken from the frame (never from the live cluster).</summary>
public sealed record ServerLook(NodeFrame Node, bool IsKnownLeader, int Majority, double Radius)
{
    /// <summary>Everything drawn, as one value: the widget renders again only when it changes.</summary>
    public string Key =>
        $"{Node.IsUp}|{Node.Role}|{Node.Membership}|{Node.Term}|{Node.VotedFor}|{Node.CommitIndex}|{Node.LastApplied}|{Node.ElectionDeadline?.Ticks}|" +
        $"{string.Join(",", Node.VotesReceived)}|{IsKnownLeader}|{Majority}|{Radius}";
}

/// <summary>A server on the diagram: a fixed-size box whose centre is the server's centre.</summary>
public sealed class ServerNodeModel : NodeModel
{
    public ServerNodeModel(NodeId server, ServerLook look, Point centre)
        : base($"server-{server.Value}", Offset(centre, look.Radius))
    {
        Server = server;
        Look = look;
        ControlledSize = true;
        Size = new Size(Box(look.Radius), Box(look.Radius));
    }

    public NodeId Server { get; }
    public ServerLook Look { get; private set; }

    /// <summary>Takes a new look; the box grows or shrinks with the radius (a cluster that gained a server draws smaller ones), keeping its centre.</summary>
    public void Update(ServerLook look)
    {
        var centre = Centre;
        var resized = Math.Abs(look.Radius - Look.Radius) > 0.01;
        Look = look;
        if (resized)
        {
            Size = new Size(Box(look.Radius), Box(look.Radius));
            var corner = Offset(centre, look.Radius);
            SetPosition(corner.X, corner.Y);
        }
        Refresh();
    }

    /// <summary>Half the box: the radius plus room for the timer ring and the halo.</summary>
    public static double Half(double radius) => radius + 14;
    private static double Box(double radius) => 2 * Half(radius);

    public Point Centre => new(Position.X + Half(Look.Radius), Position.Y + Half(Look.Radius));

    /// <summary>The box's top-left corner for a server centred on <paramref name="centre"/>.</summary>
    public static Point Offset(Point centre, double radius) => new(centre.X - Half(radius), centre.Y - Half(radius));
}

/// <summary>How a pair of servers can talk, as drawn: <c>data-state</c> on <c>link-{a}-{b}</c>; <paramref name="ToRemoved"/> when either end left the cluster (drawn faded: nothing is sent on it).</summary>
public sealed record LinkLook(
    NodeId A, NodeId B, bool AtoBCut, bool BtoACut, bool Partitioned,
    double LossAB, double LossBA, TimeSpan? MaxLatencyAB, TimeSpan? MaxLatencyBA, TimeSpan NetworkMaxLatency, bool ToRemoved = false)
{
    public bool Slow => MaxLatencyAB > NetworkMaxLatency || MaxLatencyBA > NetworkMaxLatency;
    public bool Lossy => LossAB > 0 || LossBA > 0;

    /// <summary>working, cut-ab (a→b cut), cut-ba, cut (both ways), partitioned, lossy, slow or lossy-slow.</summary>
    public string State =>
        Partitioned ? "partitioned" :
        AtoBCut && BtoACut ? "cut" :
        AtoBCut ? "cut-ab" :
        BtoACut ? "cut-ba" :
        Lossy && Slow ? "lossy-slow" :
        Lossy ? "lossy" :
        Slow ? "slow" : "working";

    public bool Broken => Partitioned || AtoBCut || BtoACut;

    public static LinkLook From(ClusterFrame snap, NodeId a, NodeId b)
    {
        var group = new Dictionary<NodeId, int>();
        for (var g = 0; g < snap.Groups.Count; g++)
            foreach (var n in snap.Groups[g]) group[n] = g;
        var split = group.GetValueOrDefault(a) != group.GetValueOrDefault(b);
        var ab = snap.Links.FirstOrDefault(l => l.From == a && l.To == b);
        var ba = snap.Links.FirstOrDefault(l => l.From == b && l.To == a);
        var removed = snap.Node(a)?.Membership == Membership.Removed || snap.Node(b)?.Membership == Membership.Removed;
        return new LinkLook(a, b, split || snap.Cuts.Contains((a, b)), split || snap.Cuts.Contains((b, a)), split,
            ab?.Loss ?? 0, ba?.Loss ?? 0, ab?.Max, ba?.Max, snap.MaxLatency, removed);
    }
}

/// <summary>The link between two servers (a &lt; b), drawn by <see cref="ServerLinkWidget"/>.</summary>
public sealed class ServerLinkModel : LinkModel
{
    public ServerLinkModel(ServerNodeModel a, ServerNodeModel b, LinkLook look)
        : base($"link-{a.Server.Value}-{b.Server.Value}", a, b)
    {
        First = a;
        Second = b;
        Look = look;
    }

    public ServerNodeModel First { get; }
    public ServerNodeModel Second { get; }
    public LinkLook Look { get; set; }
}
