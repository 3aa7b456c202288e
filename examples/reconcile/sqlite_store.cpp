// The payments in SQLite, the embedded default of the reconcile job.
//
// SQLite's calls block on file I/O (and on its lock, for busy_timeout), so
// each runs inside runtime::blocking: the goroutine's worker is handed to the
// other goroutines at once. Results do not go to SQLite from the goroutines
// that check payments: mark() sends them on a channel to one writer
// goroutine, which takes what has piled up (up to kBatch) and writes it in
// one transaction. So no goroutine ever waits on SQLite's write lock, a
// batch costs one fsync, and a result is never written for a payment that
// was not checked (mark is called only with a partner's answer).
//
// Ownership: the sqlite3 handle is used by the constructor (before the
// writer starts), by pending() (called before any mark, by the job), and by
// the writer goroutine; close() joins the writer before the handle is
// closed. Never two at once: the store is not a general concurrent object.
#include <sqlite3.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <gocxx/gocxx.hpp>

#include "store.hpp"

using namespace gocxx;

const char* to_string(Status s) {
    switch (s) {
        case Status::Pending: return "pending";
        case Status::Settled: return "settled";
        case Status::Declined: return "declined";
        case Status::Unavailable: return "unavailable";
        case Status::Error: return "error";
    }
    return "?";
}

namespace {

constexpr int kBatch = 512;  // results per transaction, at most

struct Result {
    long id;
    Status status;
};

class SqliteStore final : public PaymentStore {
public:
    SqliteStore(const std::string& path, int seed) : path_(path) {
        try {
            runtime::blocking([&] { open_and_seed(seed); });
        } catch (...) {
            if (db_) sqlite3_close(db_);  // the destructor does not run for a throwing constructor
            throw;
        }
        go([this] { writer(); });
    }
    ~SqliteStore() override {
        try {
            close();
        } catch (...) {
        }
        if (db_) sqlite3_close(db_);
    }

    std::vector<Payment> pending() override {
        return runtime::blocking([&] {
            std::vector<Payment> out;
            sqlite3_stmt* st = prepare(
                "SELECT id, cents FROM payments WHERE status NOT IN ('settled', 'declined') ORDER BY id");
            int rc;
            while ((rc = sqlite3_step(st)) == SQLITE_ROW) out.push_back({sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1)});
            sqlite3_finalize(st);
            if (rc != SQLITE_DONE) fail("reading the pending payments");
            return out;
        });
    }

    void mark(const Payment& p, Status s) override {
        if (s == Status::Pending) return;  // nothing was learned: nothing to write
        results_.send(Result{p.id, s});
    }

    void close() override {
        if (!closed_) {
            closed_ = true;
            results_.close();
            writer_done_.recv();
        }
        if (!write_error_.empty()) throw StoreError(write_error_);
    }

private:
    [[noreturn]] void fail(const std::string& what) {
        throw StoreError(path_ + ": " + what + ": " + (db_ ? sqlite3_errmsg(db_) : "out of memory"));
    }

    void exec(const char* sql, const std::string& what) {
        char* msg = nullptr;
        if (sqlite3_exec(db_, sql, nullptr, nullptr, &msg) != SQLITE_OK) {
            std::string m = msg ? msg : sqlite3_errmsg(db_);
            sqlite3_free(msg);
            throw StoreError(path_ + ": " + what + ": " + m);
        }
    }

    sqlite3_stmt* prepare(const char* sql) {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(db_, sql, -1, &st, nullptr) != SQLITE_OK) fail("preparing a query");
        return st;
    }

    void open_and_seed(int seed) {
        if (sqlite3_open_v2(path_.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK)
            fail("cannot open the database");
        // Another process writing: wait for its lock up to 5 s, then say so
        // ("database is locked") rather than hang or lose a batch.
        sqlite3_busy_timeout(db_, 5000);
        // The first statement reads the file's header: a file that is not
        // SQLite fails here ("file is not a database").
        exec("CREATE TABLE IF NOT EXISTS payments ("
             " id INTEGER PRIMARY KEY, cents INTEGER NOT NULL,"
             " status TEXT NOT NULL DEFAULT 'pending', checked_at TEXT)",
             "cannot use the database");
        sqlite3_stmt* st = prepare("SELECT COUNT(*) FROM payments");
        const bool empty = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int64(st, 0) == 0;
        sqlite3_finalize(st);
        if (!empty || seed <= 0) return;
        exec("BEGIN IMMEDIATE", "seeding the demo payments");
        st = prepare("INSERT INTO payments (id, cents) VALUES (?, ?)");
        for (long id = 1; id <= seed; id++) {
            sqlite3_bind_int64(st, 1, id);
            sqlite3_bind_int64(st, 2, 1000 + (id * 7919) % 100000);
            if (sqlite3_step(st) != SQLITE_DONE) {
                sqlite3_finalize(st);
                exec("ROLLBACK", "seeding the demo payments");
                fail("seeding the demo payments");
            }
            sqlite3_reset(st);
        }
        sqlite3_finalize(st);
        exec("COMMIT", "seeding the demo payments");
    }

    // One transaction for a batch; false (and write_error_ set) if it failed,
    // in which case none of the batch is written (SQLite rolls it back).
    bool write_batch(const std::vector<Result>& batch) {
        return runtime::blocking([&] {
            try {
                exec("BEGIN IMMEDIATE", "writing results");
                sqlite3_stmt* st = prepare("UPDATE payments SET status = ?, checked_at = datetime('now') WHERE id = ?");
                for (const Result& r : batch) {
                    sqlite3_bind_text(st, 1, to_string(r.status), -1, SQLITE_STATIC);
                    sqlite3_bind_int64(st, 2, r.id);
                    const int rc = sqlite3_step(st);
                    sqlite3_reset(st);
                    if (rc != SQLITE_DONE) {
                        sqlite3_finalize(st);
                        std::string m = path_ + ": writing results: " + sqlite3_errmsg(db_);
                        sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
                        throw StoreError(m);
                    }
                }
                sqlite3_finalize(st);
                exec("COMMIT", "writing results");
                return true;
            } catch (const StoreError& e) {
                if (!sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
                write_error_ = e.what();
                return false;
            }
        });
    }

    // The one writer: waits (parked) for a result, takes what else is queued,
    // writes the batch. After a failed batch it keeps draining (so markers
    // never block) but writes nothing more: close() reports the failure.
    void writer() {
        std::vector<Result> batch;
        batch.reserve(kBatch);
        for (;;) {
            auto [first, ok] = results_.recv_ok();
            if (!ok) break;
            batch.push_back(first);
            while (batch.size() < static_cast<std::size_t>(kBatch)) {
                std::optional<Result> more = results_.try_recv();
                if (!more) break;
                batch.push_back(*more);
            }
            if (write_error_.empty()) write_batch(batch);
            batch.clear();
        }
        writer_done_.close();
    }

    std::string path_;
    sqlite3* db_ = nullptr;
    Channel<Result> results_{kBatch};  // markers -> the writer
    Channel<Unit> writer_done_;        // closed by the writer when it has finished
    std::string write_error_;          // the writer's; read after writer_done_
    bool closed_ = false;              // the job's goroutine only
};

}  // namespace

std::unique_ptr<PaymentStore> open_sqlite_store(const std::string& path, int seed) {
    return std::make_unique<SqliteStore>(path, seed);
}
