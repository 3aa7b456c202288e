// The reconcile job's domain: payments, their statuses, and where they are
// kept (a PaymentStore: SQLite by default, sqlite_store.cpp).
#pragma once
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

struct Payment {
    long id;
    long cents;
};

enum class Status {
    Pending,      // not checked (yet)
    Settled,      // the partner confirms the payment
    Declined,     // the partner says it failed
    Unavailable,  // the partner answered 503: try again tomorrow
    Error,        // transport error or an unexpected answer
};

const char* to_string(Status s);

// A store that cannot be opened, read or written: what() names the database
// and SQLite's (or the driver's) reason, for the user to act on.
struct StoreError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Where the job reads its work and writes its results.
//   - pending(): the payments still to check (never checked, or checked and
//     neither settled nor declined: 503s and errors are tried again next run).
//   - mark(): called from many goroutines at once; a result is durable once
//     close() has returned (results are batched into transactions).
//   - close(): writes what is queued and reports the first write failure
//     (a StoreError); results written before it stay written.
struct PaymentStore {
    virtual ~PaymentStore() = default;
    virtual std::vector<Payment> pending() = 0;
    virtual void mark(const Payment& p, Status s) = 0;
    virtual void close() = 0;
};

// SQLite at `path` (created when missing; ":memory:" for a scratch one),
// seeded with `seed` demo payments when it holds none. Opening and every
// query run through runtime::blocking; writes go through one writer
// goroutine fed by a channel. Throws StoreError.
std::unique_ptr<PaymentStore> open_sqlite_store(const std::string& path, int seed);
