using Xunit.Abstractions;
using Xunit.Sdk;

namespace PromoPilot.Ingestion.Tests.Support;

/// <summary>
/// The real servers some tests need. <c>./test</c> starts redis-server and PostgreSQL on 127.0.0.1 and sets these
/// variables; a plain <c>dotnet test</c> without them skips those tests and says why.
/// </summary>
public static class TestServers
{
    public const string RedisVariable = "PROMOPILOT_TEST_REDIS";

    public const string PostgresVariable = "PROMOPILOT_TEST_POSTGRES";

    /// <summary>"host:port" of the test Redis, or null.</summary>
    public static string? Redis => Read(RedisVariable);

    /// <summary>Npgsql connection string of the test database, or null.</summary>
    public static string? Postgres => Read(PostgresVariable);

    /// <summary>Why a test needing <paramref name="variable"/> is skipped, or null when it runs.</summary>
    public static string? SkipReason(string variable) => Read(variable) is null
        ? $"needs a real server: {variable} is not set (./test starts redis-server and PostgreSQL and sets it)"
        : null;

    private static string? Read(string variable) => Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value ? value : null;
}

/// <summary>A fact that runs only when <c>PROMOPILOT_TEST_REDIS</c> names a Redis, and says so when skipped.</summary>
public sealed class RedisFactAttribute : FactAttribute
{
    public RedisFactAttribute() => Skip = TestServers.SkipReason(TestServers.RedisVariable);
}

/// <summary>A fact that runs only when <c>PROMOPILOT_TEST_POSTGRES</c> names a PostgreSQL database, and says so when skipped.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute() => Skip = TestServers.SkipReason(TestServers.PostgresVariable);
}

/// <summary>
/// Marks a concrete test class (typically one implementation's run of a shared contract suite) as needing a server:
/// its <see cref="ContractFactAttribute"/> tests skip with a message when the variable is not set.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class NeedsServerAttribute(string variable) : Attribute
{
    public string Variable { get; } = variable;
}

/// <summary>
/// A fact of a shared contract suite (an abstract class run once per implementation). Unlike a plain fact it skips
/// when the concrete class carries <see cref="NeedsServerAttribute"/> and that server is absent.
/// </summary>
[XunitTestCaseDiscoverer("PromoPilot.Ingestion.Tests.Support.ContractFactDiscoverer", "PromoPilot.Ingestion.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class ContractFactAttribute : FactAttribute;

/// <summary>Discovers <see cref="ContractFactAttribute"/> tests as <see cref="ContractTestCase"/>s.</summary>
public sealed class ContractFactDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        [new ContractTestCase(diagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod)];
}

/// <summary>A test case whose skip reason also comes from the concrete class's <see cref="NeedsServerAttribute"/>.</summary>
public sealed class ContractTestCase : XunitTestCase
{
    [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")]
    public ContractTestCase()
    {
    }

    public ContractTestCase(IMessageSink diagnosticMessageSink, TestMethodDisplay methodDisplay, TestMethodDisplayOptions methodDisplayOptions, ITestMethod testMethod)
        : base(diagnosticMessageSink, methodDisplay, methodDisplayOptions, testMethod)
    {
    }

    protected override string GetSkipReason(IAttributeInfo factAttribute)
    {
        foreach (var needs in TestMethod.TestClass.Class.GetCustomAttributes(typeof(NeedsServerAttribute)))
        {
            if (TestServers.SkipReason(needs.GetConstructorArguments().Cast<string>().Single()) is { } reason)
            {
                return reason;
            }
        }

        return base.GetSkipReason(factAttribute);
    }
}
