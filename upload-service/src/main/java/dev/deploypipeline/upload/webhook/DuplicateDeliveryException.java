package dev.deploypipeline.upload.webhook;

/** A delivery id that was handled already: a 409, and nothing new is created. */
public class DuplicateDeliveryException extends RuntimeException {

    DuplicateDeliveryException(String deliveryId) {
        super("delivery " + deliveryId + " was handled already");
    }
}
