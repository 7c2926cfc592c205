package dev.ergate.sqs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** Opens queues on the test server for one test class and closes them after each test. */
final class QueueFixture implements AutoCloseable {

    private final List<SqsJobQueue> opened = new ArrayList<>();

    SqsJobQueue open(String url, SqsQueueOptions config) {
        SqsJobQueue queue = SqsJobQueue.builder().client(SqsTestBackend.client()).queueUrl(url).queueOptions(config).build();
        opened.add(queue);
        return queue;
    }

    SqsJobQueue open(String url, int leaseSeconds) {
        return open(url, SqsQueueOptions.builder().leaseTime(Duration.ofSeconds(leaseSeconds)).build());
    }

    static int visible(String url) {
        return SqsTestBackend.count(url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
    }

    static int invisible(String url) {
        return SqsTestBackend.count(url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE);
    }

    static int delayed(String url) {
        return SqsTestBackend.count(url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED);
    }

    static int total(String url) {
        return visible(url) + invisible(url) + delayed(url);
    }

    @Override
    public void close() {
        opened.forEach(SqsJobQueue::close);
        opened.clear();
    }
}
