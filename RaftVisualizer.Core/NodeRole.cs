namespace RaftVisualizer.Core;

/// <summary>A server's role. PreCandidate appears only with pre-vote on: it asks before it bumps its term.</summary>
public enum NodeRole { Follower, PreCandidate, Candidate, Leader }
