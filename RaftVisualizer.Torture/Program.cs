using RaftVisualizer.Torture;

return TortureCommand.Run(args, Console.Out);
