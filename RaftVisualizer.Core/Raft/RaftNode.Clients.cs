using RaftVisualizer.Core.Clients;
using RaftVisualizer.Core.Events;

namespace RaftVisualizer.Core.Raft;

/// <summary>Client requests: redirect from followers, propose on the leader, answer once applied.</summary>
internal sealed partial class RaftNode
{
    private readonly Dictionary<long, ClientRequest> _pending = new();

    public void OnClientRequest(ClientRequest request, TimeSpan now)
    {
        _now = now;
        if (request.Command.Kind == KvCommandKind.Get && _options.Broken.HasFlag(BrokenRules.ReadsFromAnyNode))
        {
            Answer(request, Kv.Read(request.Command.Key));
            return;
        }
        if (Role != NodeRole.Leader)
        {
            var why = LeaderId is { } hint ? Reasons.NotLeaderTry(Id, hint) : Reasons.NotLeaderKnowsNone(Id);
            _host.Reply(new ClientReply(request.OperationId, request.Attempt, Id, null, LeaderId, why));
            return;
        }
        if (_transferTarget is { } target)
        {
            _host.Reply(new ClientReply(request.OperationId, request.Attempt, Id, null, null, $"{Id} is handing leadership to {target}"));
            return;
        }
        if (request.Command.Kind == KvCommandKind.Get && _options.ReadMode != ReadMode.Log)
        {
            ServeRead(request);
            return;
        }
        if (Kv.AlreadyApplied(request.Session) is { } cached)
        {
            Answer(request, cached);
            return;
        }
        var entry = AppendLocal(request.Command, request.Session, cause: new ClientCommandAppended(request.OperationId));
        _pending[entry.Index] = request;
        ReplicateToIdlePeers();
        MaybeCommit();
    }

    private void Answer(ClientRequest request, KvResult result) =>
        _host.Reply(new ClientReply(request.OperationId, request.Attempt, Id, result, null, null));

    private void AnswerClientFor(LogEntry entry, KvResult result)
    {
        if (!_pending.Remove(entry.Index, out var request)) return;
        if (request.Session == entry.Session) Answer(request, result);
        else _host.Reply(new ClientReply(request.OperationId, request.Attempt, Id, null, LeaderId,
            $"{Id} lost entry {entry.Index} to another leader's"));
    }

    private void FailPendingClients()
    {
        foreach (var (_, request) in _pending.OrderBy(p => p.Key))
            _host.Reply(new ClientReply(request.OperationId, request.Attempt, Id, null, null, $"{Id} stepped down before committing"));
        _pending.Clear();
        FailPendingReads($"{Id} stepped down before confirming it still leads");
    }
}
