namespace RaftVisualizer.Core.Narration;

/// <summary>What an event is about, for the feed's filter chips.</summary>
public enum EventCategory
{
    /// <summary>Timeouts, candidates, votes, new leaders, terms.</summary>
    Elections,
    /// <summary>Entries appended, stored, truncated, committed and applied.</summary>
    Replication,
    /// <summary>Raw message traffic: requests on the wire, heartbeats and their acknowledgements.</summary>
    Messages,
    /// <summary>Client operations: started, retried, answered.</summary>
    Client,
    /// <summary>Crashes, restarts, partitions, cuts, loss and the messages they destroy.</summary>
    Faults,
    /// <summary>Servers joining and leaving: new servers, configuration changes.</summary>
    Membership,
}
