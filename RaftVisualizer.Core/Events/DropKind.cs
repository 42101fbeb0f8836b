namespace RaftVisualizer.Core.Events;

/// <summary>
/// Why a message never reached its receiver's handler. These are the network's doing (or the
/// user's), not a rule of Raft: the protocol only has to survive them (§5.1: RPCs may be lost).
/// </summary>
public enum DropKind
{
    /// <summary>The network lost it on the way (the loss rate, or the link's own).</summary>
    Lost,
    /// <summary>The link from sender to receiver was cut when it was sent.</summary>
    LinkCut,
    /// <summary>The link was cut while the message was on the wire.</summary>
    CutInFlight,
    /// <summary>The receiver was down when it arrived.</summary>
    ReceiverDown,
    /// <summary>The user dropped it from its message panel.</summary>
    ByUser,
    /// <summary>A test's filter dropped it.</summary>
    Filtered,
}
