package dev.ergate.spring.boot;

import dev.ergate.runtime.RetryPolicy;
import dev.ergate.runtime.Workflow;
import dev.ergate.runtime.annotations.ErgateWorkflow;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.beans.factory.ListableBeanFactory;

/**
 * Finds the workflows of the application context: every {@link Workflow} bean and every bean
 * whose class is annotated {@link ErgateWorkflow} (compiled with {@link Workflow#fromAnnotated}).
 */
final class WorkflowBeans {

    private WorkflowBeans() {
    }

    /**
     * @param beans the context
     * @param defaultRetry given to each workflow without a retry policy of its own; null for none
     * @return the workflows, in bean order
     */
    static List<Workflow> find(ListableBeanFactory beans, @Nullable RetryPolicy defaultRetry) {
        List<Workflow> found = new ArrayList<>();
        beans.getBeanProvider(Workflow.class).orderedStream().forEach(found::add);
        for (String name : beans.getBeanNamesForAnnotation(ErgateWorkflow.class)) {
            Object bean = beans.getBean(name);
            if (bean instanceof Workflow) {
                continue;
            }
            // the @Step methods are found on the class, so compile the object behind a proxy
            Object target = AopProxyUtils.getSingletonTarget(bean);
            found.add(Workflow.fromAnnotated(target != null ? target : bean));
        }
        if (defaultRetry == null) {
            return found;
        }
        List<Workflow> withRetry = new ArrayList<>(found.size());
        for (Workflow workflow : found) {
            withRetry.add(workflow.retryPolicy().isPresent() ? workflow : workflow.withRetryPolicy(defaultRetry));
        }
        return withRetry;
    }
}
