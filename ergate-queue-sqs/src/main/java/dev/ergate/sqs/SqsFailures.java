package dev.ergate.sqs;

import dev.ergate.spi.ErgateBackendException;
import java.io.IOException;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.model.MessageNotInflightException;
import software.amazon.awssdk.services.sqs.model.ReceiptHandleIsInvalidException;

/** Turns AWS SDK failures into {@link ErgateBackendException}s that say whether to retry. Stateless. */
final class SqsFailures {

    /** Error codes meaning "this receipt handle no longer holds the message": the lease is gone. */
    private static final Set<String> LEASE_LOST_CODES = Set.of(
            "ReceiptHandleIsInvalid", "MessageNotInflight", "InvalidReceiptHandle",
            "AWS.SimpleQueueService.MessageNotInflight");

    private SqsFailures() {
    }

    /**
     * @param operation what failed, naming the queue, e.g. {@code "SendMessage on https://..."}
     * @param e the client's exception
     * @return the exception to throw
     */
    static ErgateBackendException translate(String operation, SdkException e) {
        return new ErgateBackendException("SQS " + operation + " failed: " + e.getMessage(), e, isTransient(e));
    }

    static boolean isTransient(SdkException e) {
        if (e.retryable()) {
            return true;
        }
        if (e instanceof AwsServiceException ase) {
            return ase.isThrottlingException() || ase.statusCode() >= 500;
        }
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    /** {@return true when the failure says the receipt handle is stale: another taker may hold the message} */
    static boolean isLeaseLost(SdkException e) {
        if (e instanceof ReceiptHandleIsInvalidException || e instanceof MessageNotInflightException) {
            return true;
        }
        return e instanceof AwsServiceException ase && ase.awsErrorDetails() != null
                && isLeaseLost(ase.awsErrorDetails().errorCode(), ase.awsErrorDetails().errorMessage());
    }

    /**
     * @return true for the codes SQS gives a stale receipt handle; an expired one comes as
     *     InvalidParameterValue naming the ReceiptHandle parameter
     */
    static boolean isLeaseLost(@Nullable String code, @Nullable String message) {
        if (code == null) {
            return false;
        }
        return LEASE_LOST_CODES.contains(code)
                || ("InvalidParameterValue".equals(code) && message != null && message.contains("ReceiptHandle"));
    }
}
