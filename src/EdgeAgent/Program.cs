using EdgeEmotion.EdgeAgent.Cli;

return await EdgeemoCommand.Create().Parse(args).InvokeAsync();
