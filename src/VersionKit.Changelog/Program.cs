using VersionKit.Changelog;

return ChangelogTool.Run(args, Console.Out, Console.Error);
