package ch02_downloads;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The plain HTTP of this chapter, so that the exercises are about concurrency only. Every
 * failure of a site is an {@link IOException}: an HTTP error status, a reset connection, a
 * timeout ({@link java.net.http.HttpTimeoutException}).
 */
public final class Http {

    private Http() {
    }

    /** A GET request for the site. The client it is sent with decides the timeout. */
    public static HttpRequest request(URI site) {
        return HttpRequest.newBuilder(site).GET().build();
    }

    /** Sends a GET and waits for the body; blocks the calling thread meanwhile. */
    public static byte[] get(HttpClient client, URI site) throws IOException, InterruptedException {
        return body(site, client.send(request(site), HttpResponse.BodyHandlers.ofByteArray()));
    }

    /** The body of a successful response. */
    public static byte[] body(URI site, HttpResponse<byte[]> response) throws IOException {
        if (response.statusCode() / 100 != 2) {
            throw new IOException("HTTP " + response.statusCode() + " from " + site);
        }
        return response.body();
    }

    /**
     * Why a download failed, in words for a {@link Failure}; looks inside the exceptions that only
     * carry another (CompletionException, ExecutionException, UncheckedIOException).
     */
    public static String reason(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException
                || cause instanceof UncheckedIOException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
}
