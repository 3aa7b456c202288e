// expect: deleted
// expect-gcc: Mutex::Mutex(const gocxx::sync::Mutex&)
// expect-clang: constructor of 'gocxx::sync::Mutex'
#include <mutex>

#include <gocxx/go.hpp>
#include <gocxx/sync/mutex.hpp>

void start() {
    gocxx::sync::Mutex mu;
    gocxx::go([mu] { std::lock_guard lk(mu); });
}
