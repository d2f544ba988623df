package dev.kmapstress.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads the text files commands take ({@code -} is standard input). A file that cannot be read
 * is refused in words (no such file, a directory, not UTF-8 text), never with a Java exception's
 * name, since the user can act on the first and not on the second.
 */
final class InputFiles {

    private InputFiles() {
    }

    /**
     * The UTF-8 text of {@code file} given to {@code option}.
     *
     * @throws IllegalArgumentException {@code OPTION FILE: cannot read: WHY}
     */
    static String read(String option, String file) {
        try {
            byte[] bytes;
            if (file.equals("-")) {
                InputStream in = System.in;
                bytes = in.readAllBytes();
            } else {
                Path p = Path.of(file);
                if (Files.isDirectory(p)) {
                    throw refused(option, file, "it is a directory");
                }
                bytes = Files.readAllBytes(p);
            }
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (NoSuchFileException e) {
            throw refused(option, file, "no such file");
        } catch (AccessDeniedException e) {
            throw refused(option, file, "permission denied");
        } catch (CharacterCodingException e) {
            throw refused(option, file, "not UTF-8 text");
        } catch (IOException e) {
            throw refused(option, file, e.getMessage() == null ? "input/output error" : e.getMessage());
        }
    }

    private static IllegalArgumentException refused(String option, String file, String why) {
        return new IllegalArgumentException(option + " " + file + ": cannot read: " + why);
    }
}
