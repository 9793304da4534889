package dev.tributary.engine.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code trib}: the command line of Tributary. */
@Command(name = "trib",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Tributary: functions, triggers, rules and durable workflows on your own machines.",
        subcommands = {ServerCommand.class, ValidateCommand.class, DeployCommand.class, RunCommand.class, RunsCommand.class,
                FnCommand.class, ActivationsCommand.class, UsageCommand.class, EventCommand.class, TriggerCommand.class,
                RuleCommand.class, SecretCommand.class, TableCommand.class, BenchCommand.class,
                QueueCommand.class, StreamCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests execute it in-process. */
    public static CommandLine commandLine() {
        return new CommandLine(new Main())
                // '--input @file.json' means "read this JSON file", not picocli's argument-file expansion.
                .setExpandAtFiles(false)
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("trib: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
                    return 2;
                });
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The version written into the jar's manifest at build time. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"trib " + (v == null ? "development build" : v)};
        }
    }
}
