namespace RaftVisualizer.Api;

/// <summary>RFC 7807 problem details with a sentence a person understands.</summary>
internal static class ApiProblems
{
    public static IResult BadRequest(string detail) => Results.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "Bad request");
    public static IResult NotFound(string detail) => Results.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");
    public static IResult MethodNotAllowed(string detail) => Results.Problem(detail, statusCode: StatusCodes.Status405MethodNotAllowed, title: "Method not allowed");
    public static IResult Conflict(string detail) => Results.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "Not possible now");
    public static IResult Unavailable(string detail, string title = "No leader") => Results.Problem(detail, statusCode: StatusCodes.Status503ServiceUnavailable, title: title);
}
