package io.maspush.gateway.push;

import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

import org.springframework.stereotype.Component;

/**
 * Keeps Apache HttpClient's header and wire logs out of the log whatever the log levels
 * say: at DEBUG they write every request header, the API key included. The gateway's own
 * logs describe every call without them.
 */
@Component
class HeaderLogGuard {

    private static final List<String> REVEALING_LOGGERS = List.of("org.apache.hc.client5.http.headers",
            "org.apache.hc.client5.http.wire");

    HeaderLogGuard() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (factory instanceof LoggerContext context
                && context.getTurboFilterList().stream().noneMatch(HeaderFilter.class::isInstance)) {
            HeaderFilter filter = new HeaderFilter(REVEALING_LOGGERS.stream().map(context::getLogger).toList());
            filter.setName("mas-push-gateway-header-log-guard");
            filter.start();
            context.addTurboFilter(filter);
        }
    }

    /**
     * Asked about every log call of the process, before its level is checked, so it
     * compares logger instances (which logback keeps one of per name) rather than names.
     */
    private static final class HeaderFilter extends TurboFilter {

        private final List<Logger> revealing;

        private HeaderFilter(List<Logger> revealing) {
            this.revealing = revealing;
        }

        @Override
        public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
                Throwable t) {
            for (Logger candidate : this.revealing) {
                if (candidate == logger) {
                    return FilterReply.DENY;
                }
            }
            return FilterReply.NEUTRAL;
        }

    }

}
