package dev.kmapstress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A fresh clone has nothing beside it: no tracked file (outside {@code .git}) may point at the
 * sibling directory our own checkouts happen to have. The pattern is assembled at run time so
 * that this file does not match itself.
 */
class RepositoryStandsAloneTest {

    private static final String SIBLING = ".." + "/" + "shared";

    @Test
    void noTrackedFileMentionsTheSiblingDirectory() throws Exception {
        Path root = Path.of(git(Path.of(""), "rev-parse", "--show-toplevel").strip());
        List<String> offenders = new ArrayList<>();
        for (String file : git(root, "ls-files", "-z").split("\0")) {
            Path p = root.resolve(file);
            if (!file.isEmpty() && Files.isRegularFile(p)
                    && new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1).contains(SIBLING)) {
                offenders.add(file);
            }
        }
        assertThat(offenders).as("tracked files mentioning %s", SIBLING).isEmpty();
    }

    /** Runs git in {@code dir}, returning its standard output; fails the test if git fails. */
    private static String git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toAbsolutePath().toString()));
        command.addAll(Arrays.asList(args));
        Process git = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] out = git.getInputStream().readAllBytes();
        assertThat(git.waitFor(1, TimeUnit.MINUTES)).as("git %s finished", command).isTrue();
        assertThat(git.exitValue()).as("exit status of %s", command).isZero();
        return new String(out, StandardCharsets.UTF_8);
    }
}
