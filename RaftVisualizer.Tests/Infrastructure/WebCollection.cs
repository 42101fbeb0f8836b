namespace RaftVisualizer.Tests.Infrastructure;

/// <summary>
/// Tests marked <c>[Collection(WebCollection.Name)]</c> share one running app and one browser,
/// and run one at a time (xunit runs a collection serially).
/// </summary>
[CollectionDefinition(Name)]
public sealed class WebCollection : ICollectionFixture<KestrelAppFixture>, ICollectionFixture<BrowserFixture>
{
    public const string Name = "web";
}
