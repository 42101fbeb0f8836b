using System.Text.Json.Serialization;

namespace RaftVisualizer.Core.Lessons;

/// <summary>
/// Something true or false of the cluster now, written as data in a lesson file: what a step runs
/// until, what its narration claims, what each answer of a prediction says. <see cref="Holds"/>
/// reads the cluster and never changes it; <see cref="ToString"/> says it in words.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(LeaderIs), "leader")]
[JsonDerivedType(typeof(NoLeader), "noLeader")]
[JsonDerivedType(typeof(RoleIs), "role")]
[JsonDerivedType(typeof(TermAtLeast), "termAtLeast")]
[JsonDerivedType(typeof(TermIs), "term")]
[JsonDerivedType(typeof(Committed), "committed")]
[JsonDerivedType(typeof(LogTerms), "logTerms")]
[JsonDerivedType(typeof(KeyIs), "key")]
[JsonDerivedType(typeof(Voter), "voter")]
[JsonDerivedType(typeof(SnapshotAtLeast), "snapshotAtLeast")]
[JsonDerivedType(typeof(Happened), "happened")]
[JsonDerivedType(typeof(Elapsed), "elapsed")]
[JsonDerivedType(typeof(AtTime), "time")]
[JsonDerivedType(typeof(NextIndexIs), "nextIndex")]
[JsonDerivedType(typeof(Refused), "refused")]
[JsonDerivedType(typeof(Answered), "answer")]
[JsonDerivedType(typeof(Sent), "sent")]
[JsonDerivedType(typeof(LeaseHolds), "lease")]
[JsonDerivedType(typeof(All), "all")]
[JsonDerivedType(typeof(Not), "not")]
public abstract record LessonCondition
{
    private protected LessonCondition() { }

    /// <summary>Whether it holds now; <paramref name="step"/> says when and at which event the step began.</summary>
    public abstract bool Holds(Cluster cluster, StepContext step);

    /// <summary>A leader exists (the cluster's, see <see cref="Cluster.Leader"/>), optionally this server and this term.</summary>
    public sealed record LeaderIs(NodeId? Node = null, long? Term = null) : LessonCondition
    {
        public override bool Holds(Cluster cluster, StepContext step) =>
            cluster.Leader is { } l && (Node is null || l == Node) && (Term is null || cluster.Node(l)!.Term == Term);

        public override string ToString() => $"{Node?.ToString() ?? "a server"} leads{(Term is { } t ? $" term {t}" : "")}";
    }

    public sealed record NoLeader : LessonCondition
    {
        public override bool Holds(Cluster cluster, StepContext step) => cluster.Leader is null;
        public override string ToString() => "no server leads";
    }

    public sealed record RoleIs(NodeId Node, NodeRole Role) : LessonCondition
    {
        public override bool Holds(Cluster cluster, StepContext step) => cluster.Node(Node) is { IsUp: true } n && n.Role == Role;
        public override string ToString() => $"{Node} is {Role}";
    }

    public sealed record TermAtLeast(NodeId Node, long Term) : LessonCondition
    {
        public override bool Holds(Cluster cluster, StepContext step) => cluster.Node(Node) is { } n && n.Term >= Term;
        public override string ToString() => $"{Node}'s term is at least {Term}";
    }

    public sealed record TermIs(NodeId Node, long Term) : LessonCondition
    {
        public override bool Holds(Cluster cluster, StepContext step) => cluster.Node(Node) is { } n && n.Term == Term;
        public override string ToString() => $"{Node}'s term is {Term}";
    }

    /// <summary>Entry <paramref name="Index"/> is committed on <paramref name="Node"/> (on every live member when null).</summary>
    public sealed record Committed(long Index, NodeId? Node = null) : LessonCondition
    {
        public override bool Holds(Cluster cluster, StepContext step) =>
            Node is { } id ? cluster.Node(id) is { IsUp: true } n && n.CommitIndex >= Index
                : LiveMembers(cluster).All(n => n.CommitIndex >= Index);

        public override string ToString() => $"entry {Index} is committed on {Node?.ToString() ?? "every live server"}";
    }

    /// <summary>The terms of <paramref name="Node"/>'s log, index 1 first, are exactly these (a log that was not compacted).</summary>
    public sealed record LogTerms(NodeId Node, IReadOnlyList<long> Terms) : LessonCondition
    {
        public override bool Holds(Cluster cluster, StepContext step) =>
            cluster.Node(Node) is { SnapshotIndex: 0 } n && n.Log.Select(e => e.Term).SequenceEqual(Terms);

        public override string ToString() => $"{Node}'s log holds terms {string.Join(" ", Terms)}";
    }

    /// <summary>Every live member (or <paramref name="Node"/>) maps <paramref name="Key"/> to <paramref name="Value"/> (null: has no such key).</summary>
    public sealed record KeyIs(string Key, string? Value, NodeId? Node = null) : LessonCondition
    {
        public override bool Holds(Cluster cluster, StepContext step) =>
            (Node is { } id ? cluster.Nodes.Where(n => n.Id == id && n.IsUp) : LiveMembers(cluster)).All(n =>
                Value is null ? !n.Kv.ContainsKey(Key) : n.Kv.TryGetValue(Key, out var v) && v == Value)
            && (Node is null || cluster.Node(Node.Value) is { IsUp: true });

        public override string ToString() => $"{Key} = {Value ?? "(none)"} on {Node?.ToString() ?? "every live server"}";
    }

    /// <summary>The cluster's configuration has <paramref name="Node"/> as a voter (or, with <paramref name="Is"/> false, not as one).</summary>
    public sealed record Voter(NodeId Node, bool Is = true) : LessonCondition
    {
        public override bool Holds(Cluster cluster, StepContext step) => cluster.Configuration.IsVoter(Node) == Is;
        public override string ToString() => $"{Node} is {(Is ? "" : "not ")}a voter";
    }

    public sealed record SnapshotAtLeast(NodeId Node, long Index) : LessonCondition
    {
        public override bool Holds(Cluster cluster, StepContext step) => cluster.Node(Node) is { } n && n.SnapshotIndex >= Index;
        public override string ToString() => $"{Node}'s snapshot covers entry {Index}";
    }

    /// <summary>
    /// Since the step began, an event of this kind happened (the event's type name, e.g.
    /// <c>SnapshotInstalled</c>, or a message kind, e.g. <c>InstallSnapshot</c>, for a delivered message), optionally on or to <paramref name="Node"/>.
    /// </summary>
    public sealed record Happened(string Event, NodeId? Node = null) : LessonCondition
    {
        public override bool Holds(Cluster cluster, StepContext step)
        {
            var events = cluster.Events;
            for (var i = events.Count - 1; i >= 0 && events[i].Time >= step.StartedAt; i--)
                if (Matches(events[i])) return true;
            return false;
        }

        private bool Matches(ClusterEvent e) => e switch
        {
            MessageDelivered d => d.Message.Kind == Event && (Node is null || d.Message.To == Node),
            _ when e.GetType().Name != Event => false,
            RoleChanged r => Node is null || r.Node == Node,
            SnapshotInstalled s => Node is null || s.Node == Node,
            SnapshotTaken s => Node is null || s.Node == Node,
            LogTruncated t => Node is null || t.Node == Node,
            ConfigurationChanged c => Node is null || c.Node == Node,
            _ => Node is null,
        };

        public override string ToString() => $"{Event} happened{(Node is { } n ? $" on {n}" : "")}";
    }

    /// <summary>At least <paramref name="Ms"/> simulated milliseconds passed since the step began.</summary>
    public sealed record Elapsed(double Ms) : LessonCondition
    {
        public override bool Holds(Cluster cluster, StepContext step) => cluster.Now - step.StartedAt >= TimeSpan.FromMilliseconds(Ms);
        public override string ToString() => $"{Ms:0} ms passed";
    }

    /// <summary>The simulated clock has reached <paramref name="Ms"/> milliseconds since the run began (a recorded card's moment).</summary>
    public sealed record AtTime(double Ms) : LessonCondition
    {
        public override bool Holds(Cluster cluster, StepContext step) => cluster.Now >= TimeSpan.FromMilliseconds(Ms);
        public override string ToString() => $"the clock reached {Ms:0} ms";
    }

    /// <summary><paramref name="Leader"/> leads and its nextIndex for <paramref name="Follower"/> is <paramref name="Index"/>.</summary>
    public sealed record NextIndexIs(NodeId Leader, NodeId Follower, long Index) : LessonCondition
    {
        public override bool Holds(Cluster cluster, StepContext step) =>
            cluster.Node(Leader) is { IsUp: true, Role: NodeRole.Leader } n && n.NextIndex.TryGetValue(Follower, out var next) && next == Index;

        public override string ToString() => $"{Leader}'s nextIndex for {Follower} is {Index}";
    }

    /// <summary>
    /// Since the step began, <paramref name="By"/> refused a request of kind <paramref name="Kind"/>
    /// (<c>RequestVote</c>, <c>PreVote</c> or <c>AppendEntries</c>) and the refusal was delivered
    /// (to <paramref name="To"/>): at least once, or exactly <paramref name="Times"/> times.
    /// </summary>
    public sealed record Refused(string Kind, NodeId By, NodeId? To = null, int? Times = null) : LessonCondition
    {
        public override bool Holds(Cluster cluster, StepContext step)
        {
            var count = 0;
            var events = cluster.Events;
            for (var i = events.Count - 1; i >= 0 && events[i].Time >= step.StartedAt; i--)
                if (events[i] is MessageDelivered { Message: var m } && m.From == By && (To is null || m.To == To) && IsRefusal(m)) count++;
            return Times is { } t ? count == t : count > 0;
        }

        private bool IsRefusal(RaftMessage m) => m switch
        {
            RequestVoteReply r => !r.Granted && Kind == (r.PreVote ? "PreVote" : "RequestVote"),
            AppendEntriesReply a => !a.Success && Kind == "AppendEntries",
            _ => false,
        };

        public override string ToString() =>
            $"{By} refused {(To is { } to ? $"{to}'s " : "")}{Kind}{(Times is { } t ? $" exactly {t} time{(t == 1 ? "" : "s")}" : "")}";
    }

    /// <summary>
    /// Client operation number <paramref name="Op"/> (its id: the lesson's first submit is 1) has
    /// been answered, with that status, value and server and at least that many attempts when given.
    /// </summary>
    public sealed record Answered(long Op, KvStatus? Status = null, string? Value = null, NodeId? ServedBy = null, int? AttemptsAtLeast = null) : LessonCondition
    {
        public override bool Holds(Cluster cluster, StepContext step) =>
            cluster.History.FirstOrDefault(o => o.Id == Op) is { Result: { } r } op
            && (Status is null || r.Status == Status) && (Value is null || r.Value == Value)
            && (ServedBy is null || op.ServedBy == ServedBy) && (AttemptsAtLeast is null || op.Attempts.Count >= AttemptsAtLeast);

        public override string ToString() =>
            $"operation #{Op} was answered{(Status is { } s ? $" {s}" : "")}{(Value is { } v ? $" \"{v}\"" : "")}"
            + $"{(ServedBy is { } b ? $" by {b}" : "")}{(AttemptsAtLeast is { } a ? $" after at least {a} attempts" : "")}";
    }

    /// <summary>
    /// Since the step began, messages of kind <paramref name="Kind"/> (from <paramref name="From"/>, to
    /// <paramref name="To"/>) were sent: at least once, or exactly <paramref name="Times"/> times (0: none).
    /// </summary>
    public sealed record Sent(string Kind, NodeId? From = null, NodeId? To = null, int? Times = null) : LessonCondition
    {
        public override bool Holds(Cluster cluster, StepContext step)
        {
            var count = 0;
            var events = cluster.Events;
            for (var i = step.FirstIndex(cluster); i < events.Count; i++)
                if (events[i] is MessageSent { Message: var m } && m.Kind == Kind && (From is null || m.From == From) && (To is null || m.To == To)) count++;
            return Times is { } t ? count == t : count > 0;
        }

        public override string ToString() =>
            $"{From?.ToString() ?? "a server"} sent {Times switch { 0 => "no", { } t => $"exactly {t}", null => "at least one" }} {Kind} message{(Times is 1 ? "" : "s")}"
            + $"{(To is { } to ? $" to {to}" : "")}";
    }

    /// <summary><paramref name="Node"/> is up, leads and holds a read lease (<see cref="ReadMode.Lease"/>), or, with <paramref name="Is"/> false, does not.</summary>
    public sealed record LeaseHolds(NodeId Node, bool Is = true) : LessonCondition
    {
        public override bool Holds(Cluster cluster, StepContext step) => (cluster.Node(Node) is { IsUp: true, HoldsLease: true }) == Is;
        public override string ToString() => $"{Node} {(Is ? "holds" : "does not hold")} a read lease";
    }

    public sealed record All(IReadOnlyList<LessonCondition> Conditions) : LessonCondition
    {
        public override bool Holds(Cluster cluster, StepContext step) => Conditions.All(c => c.Holds(cluster, step));
        public override string ToString() => string.Join(" and ", Conditions);
        public bool Equals(All? other) => other is not null && Conditions.SequenceEqual(other.Conditions);
        public override int GetHashCode() => Conditions.Count;
    }

    public sealed record Not(LessonCondition Condition) : LessonCondition
    {
        public override bool Holds(Cluster cluster, StepContext step) => !Condition.Holds(cluster, step);
        public override string ToString() => $"not ({Condition})";
    }

    private static IEnumerable<NodeView> LiveMembers(Cluster cluster)
    {
        var config = cluster.Configuration;
        return cluster.Nodes.Where(n => n.IsUp && config.Contains(n.Id));
    }
}

/// <summary>
/// When the step being played began: its simulated time and, when known, the number of the first event
/// recorded after it began (<see cref="Cluster.EventsDiscarded"/> plus the events kept), so that events
/// at the same instant but before the step are not counted as the step's.
/// </summary>
public readonly record struct StepContext(TimeSpan StartedAt, long FirstEvent = -1)
{
    /// <summary>Where the step's events begin in <see cref="Cluster.Events"/> (at the first event at its start time when the number is not known).</summary>
    internal int FirstIndex(Cluster cluster)
    {
        var events = cluster.Events;
        if (FirstEvent >= 0) return (int)Math.Max(0, FirstEvent - cluster.EventsDiscarded);
        var i = events.Count;
        while (i > 0 && events[i - 1].Time >= StartedAt) i--;
        return i;
    }
}
