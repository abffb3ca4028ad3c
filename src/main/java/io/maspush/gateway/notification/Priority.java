package io.maspush.gateway.notification;

/**
 * How urgently the phone should show the notification.
 */
public enum Priority {

    NORMAL, HIGH

}
