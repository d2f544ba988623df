package dev.kmapstress.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Bring your own lock, exactly as the READMEs tell a user to: every command of a code block
 * marked {@value #MARKER} is run verbatim by bash at the repository root, in the READMEs' order
 * ({@link #READMES}), each command once. It installs core into the local Maven repository,
 * builds and tests {@code examples/my-lock}, lists and tortures its lock with the launcher, and
 * puts it through JCStress, Lincheck and JMH by name. A command that fails fails the build with
 * the end of its output; its whole output is in {@code target/commands/}.
 */
class UserLockCommandsTest {

    /** The line that marks the next fenced block as run by this test (an HTML comment: not rendered). */
    static final String MARKER = "<!-- run by UserLockCommandsTest -->";

    /** The files searched, in the order their commands run: the walk-through first. */
    static final List<String> READMES = List.of("examples/my-lock/README.md", "README.md",
            "jcstress-tests/README.md", "lincheck-tests/README.md", "benchmarks/README.md");

    /** Further files whose user-lock commands must be marked too (they have none today). */
    static final List<String> ALSO_CHECKED = List.of("core/README.md", "scenarios/README.md", "examples/boot/README.md");

    /** What makes a command a user-lock command: it names the example's jar or a user lock property. */
    private static final java.util.regex.Pattern USER_LOCK = java.util.regex.Pattern.compile(
            "examples/my-lock|kmapstress\\.(classpath|locks)|KMAP_STRESS_CLASSPATH=");

    private static final long TIMEOUT_MINUTES = 20;

    @Test
    void everyUserLockCommandOfAReadmeIsMarked() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<String> files = new ArrayList<>(READMES);
        files.addAll(ALSO_CHECKED);
        for (String readme : files) {
            String markdown = Files.readString(root.resolve(readme), StandardCharsets.UTF_8);
            List<String> marked = commands(markdown);
            for (String command : allCommands(markdown)) {
                if (USER_LOCK.matcher(command).find()) {
                    assertThat(marked).as("%s: a user-lock command outside a block marked %s", readme, MARKER)
                            .contains(command);
                }
            }
        }
    }

    @Test
    void everyMarkedCommandRunsAsWritten() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        Map<String, List<String>> byFile = new LinkedHashMap<>();
        for (String readme : READMES) {
            byFile.put(readme, commands(Files.readString(root.resolve(readme), StandardCharsets.UTF_8)));
        }
        byFile.forEach((file, commands) -> assertThat(commands).as("marked commands in %s", file).isNotEmpty());
        Set<String> once = new LinkedHashSet<>();
        byFile.values().forEach(once::addAll);
        Path logs = Files.createDirectories(Path.of("target/commands"));
        int n = 0;
        for (String command : once) {
            run(root, command, logs.resolve(String.format("%02d.log", ++n)));
        }
    }

    /** The commands of the blocks marked in {@code markdown}: continuation lines joined, comment lines left out. */
    static List<String> commands(String markdown) {
        return commands(markdown, true);
    }

    /** The commands of every {@code sh} block of {@code markdown}. */
    static List<String> allCommands(String markdown) {
        return commands(markdown, false);
    }

    private static List<String> commands(String markdown, boolean markedOnly) {
        List<String> commands = new ArrayList<>();
        List<String> lines = markdown.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            boolean marked = lines.get(i).strip().equals(MARKER);
            if (marked) {
                assertThat(lines.get(i + 1)).as("the line after the marker opens a block").startsWith("```");
                i++;
            } else if (markedOnly || !lines.get(i).strip().equals("```sh")) {
                continue;
            }
            StringBuilder command = new StringBuilder();
            for (i++; !lines.get(i).startsWith("```"); i++) {
                String line = lines.get(i);
                if (command.isEmpty() && (line.isBlank() || line.strip().startsWith("#"))) {
                    continue;
                }
                command.append(line).append('\n');
                if (!line.endsWith("\\")) {
                    commands.add(command.toString().strip());
                    command.setLength(0);
                }
            }
        }
        return commands;
    }

    private static void run(Path root, String command, Path log) throws IOException, InterruptedException {
        Files.writeString(log, "$ " + command + "\n");
        Process p = new ProcessBuilder("bash", "-c", command).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        boolean finished = p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES);
        if (!finished) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        List<String> output = Files.readAllLines(log);
        String tail = String.join("\n", output.subList(Math.max(0, output.size() - 40), output.size()));
        assertThat(finished).as("%s finished within %d minutes; its output ends:%n%s", command, TIMEOUT_MINUTES, tail)
                .isTrue();
        assertThat(p.exitValue()).as("exit status of %s; its output (%s) ends:%n%s", command, log, tail).isZero();
    }
}
