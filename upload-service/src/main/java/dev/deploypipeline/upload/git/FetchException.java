package dev.deploypipeline.upload.git;

/** The repository could not be fetched; the message is fit to show as the deployment's error. */
public class FetchException extends RuntimeException {

    private final boolean networkFault;

    public FetchException(String message, Throwable cause) {
        this(message, cause, false);
    }

    public FetchException(String message) {
        this(message, null, false);
    }

    private FetchException(String message, Throwable cause, boolean networkFault) {
        super(message, cause);
        this.networkFault = networkFault;
    }

    /** The connection to the git server failed midway (reset, refused, no answer): trying again may work. */
    static FetchException networkFault(String message, Throwable cause) {
        return new FetchException(message, cause, true);
    }

    public boolean isNetworkFault() {
        return networkFault;
    }
}
