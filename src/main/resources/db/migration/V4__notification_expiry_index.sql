-- The sweep looks for queued notifications whose time to live ran out. Without an index it read every queued row on
-- each sweep, which with a backlog of tens of thousands cost more than the deliveries themselves.
create index notification_expiry on notification (status, expires_at);
