using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(RaftVisualizer.Benchmarks.SimulationBenchmarks).Assembly).Run(args);
