namespace RaftVisualizer.Core;

/// <summary>Where a server stands in the cluster's configuration.</summary>
public enum Membership
{
    /// <summary>Votes, counts toward majorities, may lead.</summary>
    Voter,
    /// <summary>Receives the log but does not vote yet: a new server catching up.</summary>
    Learner,
    /// <summary>No longer in the configuration (it still runs until it is stopped, but hears nothing).</summary>
    Removed,
}
