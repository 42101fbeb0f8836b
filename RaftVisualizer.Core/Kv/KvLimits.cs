using System.Text;

namespace RaftVisualizer.Core.Kv;

/// <summary>What a client may send. Checked before anything enters the simulation.</summary>
public static class KvLimits
{
    public const int MaxKeyLength = 128;
    public const int MaxValueBytes = 4096;

    /// <summary>Null when the command is acceptable, otherwise a sentence saying what is wrong.</summary>
    public static string? Validate(KvCommand? command)
    {
        if (command is null) return "No command was given.";
        if (command.Kind == KvCommandKind.NoOp) return "A client cannot submit a no-op.";
        if (IndexOfControl(command.Key) is var at and >= 0)
            return $"The key contains a control character (U+{(int)command.Key![at]:X4} at position {at + 1}): a key is printable text, with no newline, tab or other control character.";
        if (string.IsNullOrWhiteSpace(command.Key)) return "The key is empty: give a key of 1 to 128 characters.";
        if (command.Key.Length > MaxKeyLength)
            return $"The key is {command.Key.Length} characters long; the limit is {MaxKeyLength}.";
        if (command.Kind is KvCommandKind.Put or KvCommandKind.Append)
        {
            if (command.Value is null) return "A put needs a value (it may be empty).";
            var bytes = Encoding.UTF8.GetByteCount(command.Value);
            if (bytes > MaxValueBytes)
                return $"The value is {bytes} bytes; the limit is {MaxValueBytes} bytes (4 KB).";
        }
        return null;
    }

    private static int IndexOfControl(string? key)
    {
        for (var i = 0; i < (key?.Length ?? 0); i++)
            if (char.IsControl(key![i])) return i;
        return -1;
    }
}
