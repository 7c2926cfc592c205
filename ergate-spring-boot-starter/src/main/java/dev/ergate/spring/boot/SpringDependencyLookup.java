package dev.ergate.spring.boot;

import dev.ergate.runtime.DependencyLookup;
import java.lang.reflect.Type;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.core.ResolvableType;

/**
 * Lets steps ask for any bean of the application context ({@code @Depends}, {@code
 * ctx.dependency(...)}): the only candidate of the type, or the {@code @Primary} one.
 */
final class SpringDependencyLookup implements DependencyLookup {

    private final ListableBeanFactory beans;

    SpringDependencyLookup(ListableBeanFactory beans) {
        this.beans = beans;
    }

    @Override
    public boolean provides(Type type) {
        return beans.getBeanNamesForType(ResolvableType.forType(type), true, true).length > 0;
    }

    @Override
    public Object get(Type type) {
        return beans.getBeanProvider(ResolvableType.forType(type)).getObject();
    }
}
