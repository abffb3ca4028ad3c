package io.maspush.gateway.callback;

/**
 * A callback claimed by this process, about to be sent.
 *
 * @param clientId the client whose secret signs it
 * @param url where it goes
 * @param attempts POSTs made so far
 * @param payload what it says
 */
record PendingCallback(String clientId, String url, int attempts, StatusCallback payload) {

}
