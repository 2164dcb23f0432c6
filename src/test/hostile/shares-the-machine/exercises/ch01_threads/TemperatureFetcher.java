package ch01_threads;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Hostile: reaches beyond its own grading, through the machine's shared folders and its loopback network. */
public class TemperatureFetcher {

    static {
        for (String dir : List.of("/tmp", "/var/tmp", "/dev/shm")) {
            try {
                Files.writeString(Path.of(dir, "threadwork-hostile-shares-the-machine"), "left for the next grading");
            } catch (Exception ignored) {
                // not there, or not writable: the next one
            }
        }
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), 47913); OutputStream out = socket.getOutputStream()) {
            out.write("guest:guest\n".getBytes());
        } catch (Exception ignored) {
            // nothing listening where this JVM can reach
        }
    }

    public TemperatureFetcher(URI weatherService, HttpClient client) {
        throw new UnsupportedOperationException("TODO: check and keep the arguments");
    }

    public Map<String, Double> fetchSequentially(List<String> cities) {
        throw new UnsupportedOperationException("TODO: send one request per city, one after another");
    }

    public Map<String, Double> fetchWithThreads(List<String> cities) throws InterruptedException {
        throw new UnsupportedOperationException("TODO: one Thread per city; start all, then join all");
    }
}
