-- Relayed messages share the notification table with native ones, so they get the same durable queue, retries,
-- metrics and final statuses. A relayed row keeps the caller's JSON with the caller's key cut out; the environment's
-- key is put back at those offsets when the message is sent, so no key is ever stored in this table.
alter table notification add column api varchar(8) default 'native' not null;
alter table notification add column payload varchar(70000);
alter table notification add column payload_key_offsets varchar(4000);
alter table notification add column callback_url varchar(2048);

-- One status callback per notification that asked for one. The row is written in the same transaction that gives the
-- notification its final status, so no final status can be recorded without its callback being owed.
create table notification_callback (
    notification_id uuid                     not null primary key,
    client_id       varchar(100)             not null,
    url             varchar(2048)            not null,
    status          varchar(16)              not null,
    attempts        integer                  not null,
    last_error      varchar(500),
    created_at      timestamp with time zone not null,
    updated_at      timestamp with time zone not null,
    next_attempt_at timestamp with time zone not null,
    lease_owner     varchar(100),
    lease_until     timestamp with time zone
);

create index notification_callback_due on notification_callback (status, next_attempt_at);
