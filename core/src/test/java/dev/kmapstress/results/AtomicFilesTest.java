package dev.kmapstress.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void replacesTheTargetAndLeavesNoTemporaryFile() throws IOException {
        Path target = dir.resolve("a/b/REPORT.md");
        AtomicFiles.writeString(target, "old");
        AtomicFiles.writeString(target, "new ✓");

        assertThat(Files.readString(target)).isEqualTo("new ✓");
        try (Stream<Path> files = Files.list(target.getParent())) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void theWrittenFileIsReadableByOthersWhereTheUmaskAllows() throws IOException {
        Path target = dir.resolve("chart.png");
        Path plain = Files.writeString(dir.resolve("plain.txt"), "x");
        AtomicFiles.write(target, new byte[] {1, 2, 3});

        assertThat(Files.readAllBytes(target)).containsExactly(1, 2, 3);
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            assertThat(Files.getPosixFilePermissions(target)).isEqualTo(Files.getPosixFilePermissions(plain));
        }
    }

    @Test
    void aFolderThatCanBeCreatedPassesTheCheckWithoutBeingCreated() throws IOException {
        assertThat(AtomicFiles.cannotWriteIn(dir.resolve("a/b"))).isEmpty();
        assertThat(AtomicFiles.cannotWrite(dir.resolve("a/b/r.json"))).isEmpty();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void theCheckNamesWhatStandsInTheWay() throws IOException {
        Path file = Files.writeString(dir.resolve("f"), "x");
        assertThat(AtomicFiles.cannotWrite(dir)).contains("is a directory");
        assertThat(AtomicFiles.cannotWrite(file.resolve("x/r.json"))).contains(file + " is a file, not a directory");
        assertThat(AtomicFiles.cannotWriteIn(file)).contains(file + " is a file, not a directory");
        Path proc = Path.of("/proc");
        if (Files.isDirectory(proc.resolve("self"))) {
            // Linux's /proc refuses new files whatever the permissions say (root included).
            assertThat(AtomicFiles.cannotWriteIn(proc.resolve("x"))).get().asString()
                    .startsWith("/proc cannot take new files: ");
        }
    }

    @Test
    void aWriteThatFailsSaysWhatWasNotWrittenAndWhy() throws IOException {
        Path file = Files.writeString(dir.resolve("f"), "x");
        Path target = file.resolve("r.json");
        assertThatThrownBy(() -> AtomicFiles.writeString(target, "{}")).isInstanceOf(IOException.class)
                .hasMessage("cannot write " + target + ": " + file + ": exists and is not a directory");
    }
}
