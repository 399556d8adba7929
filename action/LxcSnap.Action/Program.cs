using System.Collections;
using System.Text.Json;
using LxcSnap.Action;
using LxcSnap.Action.Host;
using LxcSnap.Action.Runner;
using LxcSnap.Action.Stages;

// lxcsnap-action main | post   the action's stages, as the runner starts them (action.yml)
// lxcsnap-action --version     the action's version (the release workflow checks the image's)
// lxcsnap-action enter-host    inside the privileged sibling container: run host-agent in the host's namespaces
// lxcsnap-action host-agent    in the host's namespaces: carry out $LXCSNAP_ACTION_REQUEST, print the result
var environment = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
    .ToDictionary(entry => (string)entry.Key, entry => (string?)entry.Value ?? "", StringComparer.Ordinal);
var stage = args.FirstOrDefault();

if (stage == "--version")
{
    Console.Out.WriteLine(ActionVersion.Text);
    return 0;
}
if (stage == EnterHost.Command)
    return EnterHost.Run(Console.Error);
if (stage == "host-agent")
    return RunHostAgent();
if (stage is not ("main" or "post"))
{
    Console.Error.WriteLine("usage: lxcsnap-action main|post|--version   (a GitHub Action: see action.yml)");
    return 2;
}

var commands = new WorkflowCommands(Console.Out);
// First, so that every job's log says which version of the action ran, also when it fails.
commands.Log($"LxcSnap action {ActionVersion.Text}, {stage} stage");
var inputs = new ActionInputs(environment);
var files = new FileCommands(environment);
var host = new HostAccess(environment, commands.Log);
try
{
    return stage == "main"
        ? new MainStage(inputs, files, commands, host).Run()
        : new PostStage(inputs, files, commands, host).Run();
}
catch (ActionInputException e)
{
    commands.Error("LxcSnap: invalid input", e.Message + " Nothing was done.");
    return 1;
}
catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException)
{
    // The runner shows an annotation, not a stack trace, as the reason the step failed.
    commands.Error("LxcSnap failed", e.Message);
    return 1;
}

int RunHostAgent()
{
    var requestJson = environment.GetValueOrDefault(SiblingContainer.RequestVariable, "");
    var request = requestJson.Length == 0 ? null : JsonSerializer.Deserialize(requestJson, HostJsonContext.Default.HostRequest);
    var result = request is null
        ? HostResult.Refused($"no request in {SiblingContainer.RequestVariable}.")
        : new HostAgent(environment, Console.Error).Execute(request);
    Console.Out.WriteLine(SiblingContainer.ResultPrefix + JsonSerializer.Serialize(result, HostJsonContext.Default.HostResult));
    return result.Succeeded ? 0 : 1;
}
