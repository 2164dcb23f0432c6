package ch04_futures;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.List;

/**
 * Exercise 11: the source's {@code as_completed} downloader.
 * See README.md in this folder.
 */
public class CompletionOrder {

    /**
     * Downloads every URL on a pool of {@code workers} threads, saving each in {@code dir} under
     * its base name (the last segment of the URL's path, e.g. {@code f1040.pdf}), byte for byte.
     *
     * @return one message per URL, in the order the downloads finished (not the order of
     *     {@code urls}): {@code "Finished downloading f1040.pdf"}, or for a download that failed
     *     {@code "Failed <url>: <why>"}, e.g. {@code "Failed http://host/forms/f1040: URL does not
     *     contain an extension"} for a URL whose base name has no dot (it is not requested), or
     *     {@code "Failed <url>: HTTP 404"} (any status other than 200 is a failure, and so is a
     *     connection reset). A failed download leaves no file. A failure never stops the other
     *     downloads.
     * @throws IllegalArgumentException if {@code workers} is below 1
     * @throws NullPointerException if an argument is null or {@code urls} contains null
     *     <p>The pool ({@code workers} threads) is shut down before this method returns, in every case.
     */
    public static List<String> downloadAll(List<URI> urls, Path dir, int workers, HttpClient client) {
        throw new UnsupportedOperationException("TODO: submit each download to an ExecutorCompletionService, then take() them as they finish");
    }
}
