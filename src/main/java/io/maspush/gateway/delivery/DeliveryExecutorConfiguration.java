package io.maspush.gateway.delivery;

import org.springframework.boot.autoconfigure.thread.Threading;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

/**
 * The threads deliveries run on. A delivery spends nearly all its time waiting for the
 * push service, so on Java 21 and later (with {@code spring.threads.virtual.enabled})
 * each runs on a virtual thread; on Java 17 each gets a platform thread. Either way the
 * environments' bulkheads bound how many run at once.
 */
@Configuration(proxyBeanMethods = false)
class DeliveryExecutorConfiguration {

    @Bean
    SimpleAsyncTaskExecutor deliveryExecutor(Environment environment, DeliveryProperties properties) {
        SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("delivery-");
        executor.setVirtualThreads(Threading.VIRTUAL.isActive(environment));
        executor.setTaskTerminationTimeout(properties.shutdownGrace().toMillis());
        return executor;
    }

}
