using System.Globalization;
using System.Text;

namespace RaftVisualizer.Core.Linearizability;

/// <summary>
/// Parses Jepsen-style key/value event logs (the format of Porcupine's <c>test_data/kv</c>), one
/// event map per line, e.g. <c>{:process 3, :type :invoke, :f :append, :key "2", :value "x 3 1 y"}</c>.
/// Line numbers (1-based) are used as times. An invocation completed by <c>:ok</c> becomes a
/// completed operation; by <c>:fail</c> it is dropped (it did not happen); by <c>:info</c>, by a
/// new invocation of the same process, or by nothing at all it becomes open-ended.
/// </summary>
public static class JepsenKvHistoryParser
{
    private sealed record Invocation(int Process, KvOpKind Kind, string Key, string? Value, long Line);

    public static IReadOnlyList<KvHistoryOp> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var pending = new Dictionary<int, Invocation>();
        var parsed = new List<KvHistoryOp>();
        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0)
            {
                continue;
            }

            long lineNumber = i + 1;
            Dictionary<string, string?> fields = ParseFields(line, lineNumber);
            int process = int.Parse(Required(fields, "process", lineNumber), NumberStyles.Integer, CultureInfo.InvariantCulture);
            string type = Required(fields, "type", lineNumber);
            pending.TryGetValue(process, out Invocation? invocation);
            switch (type)
            {
                case ":invoke":
                    if (invocation is not null)
                    {
                        parsed.Add(ToOp(invocation, null, null));
                    }

                    pending[process] = new Invocation(
                        process,
                        ParseKind(Required(fields, "f", lineNumber), lineNumber),
                        Required(fields, "key", lineNumber),
                        fields.GetValueOrDefault("value"),
                        lineNumber);
                    break;
                case ":ok":
                    parsed.Add(ToOp(Expect(invocation, process, lineNumber), lineNumber, fields.GetValueOrDefault("value")));
                    pending.Remove(process);
                    break;
                case ":fail":
                    Expect(invocation, process, lineNumber);
                    pending.Remove(process);
                    break;
                case ":info":
                    parsed.Add(ToOp(Expect(invocation, process, lineNumber), null, null));
                    pending.Remove(process);
                    break;
                default:
                    throw new FormatException($"Line {lineNumber}: unknown event type '{type}'.");
            }
        }

        parsed.AddRange(pending.Values.Select(invocation => ToOp(invocation, null, null)));
        return parsed
            .OrderBy(op => op.Call)
            .Select((op, index) => op with { Id = index })
            .ToList();
    }

    private static KvHistoryOp ToOp(Invocation invocation, long? returnLine, string? completionValue)
    {
        bool isRead = invocation.Kind == KvOpKind.Get;
        return new KvHistoryOp(
            Id: 0,
            ClientId: invocation.Process,
            Kind: invocation.Kind,
            Key: invocation.Key,
            Input: isRead || invocation.Kind == KvOpKind.Delete ? null : invocation.Value ?? completionValue,
            Output: isRead ? completionValue : null,
            Call: invocation.Line,
            Return: returnLine);
    }

    private static Invocation Expect(Invocation? invocation, int process, long line) =>
        invocation ?? throw new FormatException($"Line {line}: process {process} completes an operation it never invoked.");

    private static KvOpKind ParseKind(string f, long line) => f switch
    {
        ":get" or ":read" => KvOpKind.Get,
        ":put" or ":write" => KvOpKind.Put,
        ":append" => KvOpKind.Append,
        ":delete" or ":del" => KvOpKind.Delete,
        _ => throw new FormatException($"Line {line}: unknown operation '{f}'."),
    };

    private static string Required(Dictionary<string, string?> fields, string name, long line) =>
        fields.TryGetValue(name, out string? value) && value is not null
            ? value
            : throw new FormatException($"Line {line}: missing :{name}.");

    /// <summary>Reads <c>{:name value, ...}</c>; strings are unquoted, <c>nil</c> becomes null, other atoms stay as written.</summary>
    private static Dictionary<string, string?> ParseFields(string line, long lineNumber)
    {
        if (line[0] != '{' || line[^1] != '}')
        {
            throw new FormatException($"Line {lineNumber}: expected a {{...}} map.");
        }

        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        int pos = 1;
        int end = line.Length - 1;
        while (true)
        {
            SkipSeparators(line, ref pos, end);
            if (pos >= end)
            {
                return fields;
            }

            if (line[pos] != ':')
            {
                throw new FormatException($"Line {lineNumber}: expected a :keyword at column {pos + 1}.");
            }

            string name = ReadAtom(line, ref pos, end)[1..];
            SkipSeparators(line, ref pos, end);
            fields[name] = pos < end && line[pos] == '"'
                ? ReadString(line, ref pos, end, lineNumber)
                : NilToNull(ReadAtom(line, ref pos, end));
        }
    }

    private static string? NilToNull(string atom) => atom == "nil" ? null : atom;

    private static void SkipSeparators(string line, ref int pos, int end)
    {
        while (pos < end && (line[pos] == ',' || char.IsWhiteSpace(line[pos])))
        {
            pos++;
        }
    }

    private static string ReadAtom(string line, ref int pos, int end)
    {
        int start = pos;
        while (pos < end && line[pos] != ',' && !char.IsWhiteSpace(line[pos]))
        {
            pos++;
        }

        return line[start..pos];
    }

    private static string ReadString(string line, ref int pos, int end, long lineNumber)
    {
        var value = new StringBuilder();
        pos++;
        while (pos < end)
        {
            char c = line[pos++];
            if (c == '"')
            {
                return value.ToString();
            }

            if (c == '\\' && pos < end)
            {
                c = line[pos++];
            }

            value.Append(c);
        }

        throw new FormatException($"Line {lineNumber}: unterminated string.");
    }
}
