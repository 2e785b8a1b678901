using EdgeEmotion.EdgeAgent.Cli;

return await EdgeemoCommand.InvokeAsync(args);
