package dev.ergate.runtime;

import java.lang.reflect.Type;

/**
 * One parameter of an annotated step or provider method: what the engine supplies for it.
 *
 * @param kind what kind of value
 * @param type the declared Java type
 * @param name the parameter's name, for messages
 */
record ParamSpec(Kind kind, Type type, String name) {

    enum Kind {
        INPUT, USER_CONTEXT, JOB, CONTEXT, DEPENDENCY
    }

    String describe() {
        return switch (kind) {
            case INPUT -> "input parameter '" + name + "'";
            case USER_CONTEXT -> "user context parameter '" + name + "'";
            case JOB -> "job parameter '" + name + "'";
            case CONTEXT -> "context parameter '" + name + "'";
            case DEPENDENCY -> "dependency parameter '" + name + "' (" + type.getTypeName() + ")";
        };
    }
}
