package dev.ergate.sqs;

import dev.ergate.internal.Batcher;
import dev.ergate.spi.ErgateBackendException;
import dev.ergate.spi.LeaseLostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResponse;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * The SQS calls of one queue, with failures mapped to Ergate's exceptions and deletes and
 * releases batched ({@link Batcher}). Thread-safe.
 */
final class SqsOperations {

    private final SqsClient client;
    private final String queueUrl;
    private final Batcher<String> deletes;

    SqsOperations(SqsClient client, String queueUrl) {
        this.client = client;
        this.queueUrl = queueUrl;
        this.deletes = new Batcher<>(SqsQueueOptions.SQS_MAX_BATCH, this::deleteBatch);
    }

    String queueUrl() {
        return queueUrl;
    }

    SqsClient client() {
        return client;
    }

    /**
     * @return the new message's id
     */
    String send(String targetUrl, String body, Map<String, MessageAttributeValue> attributes, int delaySeconds,
            @Nullable String groupId, @Nullable String deduplicationId) {
        SendMessageRequest.Builder request = SendMessageRequest.builder()
                .queueUrl(targetUrl)
                .messageBody(body);
        if (!attributes.isEmpty()) {
            request.messageAttributes(attributes);
        }
        if (delaySeconds > 0) {
            request.delaySeconds(delaySeconds);
        }
        if (groupId != null) {
            request.messageGroupId(groupId).messageDeduplicationId(deduplicationId);
        }
        try {
            return client.sendMessage(request.build()).messageId();
        } catch (SdkException e) {
            throw SqsFailures.translate("SendMessage on " + targetUrl, e);
        }
    }

    /**
     * @param waitSeconds 0 for a short poll, up to 20
     * @param visibilitySeconds the lease the received messages get
     */
    List<Message> receive(int maxMessages, int waitSeconds, int visibilitySeconds) {
        try {
            return client.receiveMessage(r -> r.queueUrl(queueUrl)
                    .maxNumberOfMessages(maxMessages)
                    .waitTimeSeconds(waitSeconds)
                    .visibilityTimeout(visibilitySeconds)
                    .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT,
                            MessageSystemAttributeName.APPROXIMATE_FIRST_RECEIVE_TIMESTAMP,
                            MessageSystemAttributeName.MESSAGE_GROUP_ID)
                    .messageAttributeNames("All"))
                    .messages();
        } catch (SdkException e) {
            throw SqsFailures.translate("ReceiveMessage on " + queueUrl, e);
        }
    }

    /** Deletes one message, batched with concurrent deletes. */
    void delete(String receiptHandle) {
        deletes.submit(receiptHandle);
    }

    /**
     * Makes messages visible again at once, in batches of 10.
     *
     * @return for each handle, in order, its failure or null
     */
    List<@Nullable RuntimeException> releaseNow(List<String> receiptHandles) {
        List<@Nullable RuntimeException> failures = new ArrayList<>(receiptHandles.size());
        for (int from = 0; from < receiptHandles.size(); from += SqsQueueOptions.SQS_MAX_BATCH) {
            List<String> chunk = receiptHandles.subList(from,
                    Math.min(receiptHandles.size(), from + SqsQueueOptions.SQS_MAX_BATCH));
            try {
                failures.addAll(releaseBatch(chunk));
            } catch (RuntimeException e) {
                for (int i = 0; i < chunk.size(); i++) {
                    failures.add(e);
                }
            }
        }
        return failures;
    }

    /**
     * @param seconds the message's new visibility timeout, counted from now
     * @throws LeaseLostException if SQS no longer accepts the handle
     */
    void changeVisibility(String receiptHandle, int seconds) {
        try {
            client.changeMessageVisibility(r -> r.queueUrl(queueUrl)
                    .receiptHandle(receiptHandle)
                    .visibilityTimeout(seconds));
        } catch (SdkException e) {
            if (SqsFailures.isLeaseLost(e)) {
                throw new LeaseLostException("SQS ChangeMessageVisibility on " + queueUrl
                        + " refused the receipt handle: the lease ran out or the message is gone ("
                        + e.getMessage() + ")", e);
            }
            throw SqsFailures.translate("ChangeMessageVisibility on " + queueUrl, e);
        }
    }

    private List<@Nullable RuntimeException> deleteBatch(List<String> handles) {
        List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>(handles.size());
        for (int i = 0; i < handles.size(); i++) {
            entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
                    .receiptHandle(handles.get(i)).build());
        }
        DeleteMessageBatchResponse response;
        try {
            response = client.deleteMessageBatch(r -> r.queueUrl(queueUrl).entries(entries));
        } catch (SdkException e) {
            throw SqsFailures.translate("DeleteMessageBatch on " + queueUrl, e);
        }
        return perEntry(handles.size(), response.failed(), "DeleteMessage");
    }

    private List<@Nullable RuntimeException> releaseBatch(List<String> handles) {
        List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>(handles.size());
        for (int i = 0; i < handles.size(); i++) {
            entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id(Integer.toString(i))
                    .receiptHandle(handles.get(i)).visibilityTimeout(0).build());
        }
        ChangeMessageVisibilityBatchResponse response;
        try {
            response = client.changeMessageVisibilityBatch(r -> r.queueUrl(queueUrl).entries(entries));
        } catch (SdkException e) {
            throw SqsFailures.translate("ChangeMessageVisibilityBatch on " + queueUrl, e);
        }
        return perEntry(handles.size(), response.failed(), "ChangeMessageVisibility");
    }

    private List<@Nullable RuntimeException> perEntry(int size, List<BatchResultErrorEntry> failed, String what) {
        List<@Nullable RuntimeException> result = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            result.add(null);
        }
        Map<String, BatchResultErrorEntry> byId = new HashMap<>();
        for (BatchResultErrorEntry f : failed) {
            byId.put(f.id(), f);
        }
        for (int i = 0; i < size; i++) {
            BatchResultErrorEntry f = byId.get(Integer.toString(i));
            if (f == null) {
                continue;
            }
            String text = "SQS " + what + " on " + queueUrl + " failed: " + f.code() + ": " + f.message();
            if (SqsFailures.isLeaseLost(f.code(), f.message())) {
                result.set(i, new LeaseLostException(text + " (the lease ran out or the message is gone)", null));
            } else {
                result.set(i, new ErgateBackendException(text, null,
                        !Boolean.TRUE.equals(f.senderFault())));
            }
        }
        return result;
    }
}
