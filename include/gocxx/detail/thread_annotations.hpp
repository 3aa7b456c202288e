// Lock annotations for clang's thread safety analysis (-Wthread-safety).
//
// The runtime's locks (detail::Lock, detail::OsMutex) and the sync types
// (sync::Mutex, sync::RWMutex) are capabilities; fields say which lock
// guards them (GOCXX_GUARDED_BY) and functions which lock they need held
// (GOCXX_REQUIRES), take (GOCXX_ACQUIRE) or give back (GOCXX_RELEASE).
// Under clang the compiler checks every access against them; elsewhere
// (g++) the macros expand to nothing. The attribute names are clang's
// (https://clang.llvm.org/docs/ThreadSafetyAnalysis.html); docs/design.md,
// "Lock annotations", says how the build uses them and what is left out.
#pragma once

#if defined(__clang__) && defined(__has_attribute)
#if __has_attribute(capability) && __has_attribute(requires_capability)
#define GOCXX_THREAD_ANNOTATION(x) __attribute__((x))
#endif
#endif
#ifndef GOCXX_THREAD_ANNOTATION
#define GOCXX_THREAD_ANNOTATION(x)  // no thread safety analysis: nothing to say
#endif

// A type that is a lock ("mutex" in the diagnostics).
#define GOCXX_CAPABILITY(name) GOCXX_THREAD_ANNOTATION(capability(name))
// An RAII type that holds a capability for its lifetime.
#define GOCXX_SCOPED_CAPABILITY GOCXX_THREAD_ANNOTATION(scoped_lockable)

// Data: read and written only with the lock held (PT_: what the pointer
// points at).
#define GOCXX_GUARDED_BY(x) GOCXX_THREAD_ANNOTATION(guarded_by(x))
#define GOCXX_PT_GUARDED_BY(x) GOCXX_THREAD_ANNOTATION(pt_guarded_by(x))

// Lock order, for -Wthread-safety-beta.
#define GOCXX_ACQUIRED_BEFORE(...) GOCXX_THREAD_ANNOTATION(acquired_before(__VA_ARGS__))
#define GOCXX_ACQUIRED_AFTER(...) GOCXX_THREAD_ANNOTATION(acquired_after(__VA_ARGS__))

// Functions: the caller must hold the lock (exclusively, or at least shared).
#define GOCXX_REQUIRES(...) GOCXX_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
#define GOCXX_REQUIRES_SHARED(...) GOCXX_THREAD_ANNOTATION(requires_shared_capability(__VA_ARGS__))
// The function takes the lock and returns holding it (no argument: `this`).
#define GOCXX_ACQUIRE(...) GOCXX_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
#define GOCXX_ACQUIRE_SHARED(...) GOCXX_THREAD_ANNOTATION(acquire_shared_capability(__VA_ARGS__))
// The function is called holding the lock and returns without it.
#define GOCXX_RELEASE(...) GOCXX_THREAD_ANNOTATION(release_capability(__VA_ARGS__))
#define GOCXX_RELEASE_SHARED(...) GOCXX_THREAD_ANNOTATION(release_shared_capability(__VA_ARGS__))
// Releases whichever way it is held (a scoped guard's destructor).
#define GOCXX_RELEASE_GENERIC(...) GOCXX_THREAD_ANNOTATION(release_generic_capability(__VA_ARGS__))
// Returns `b` when it took the lock: GOCXX_TRY_ACQUIRE(true).
#define GOCXX_TRY_ACQUIRE(...) GOCXX_THREAD_ANNOTATION(try_acquire_capability(__VA_ARGS__))
#define GOCXX_TRY_ACQUIRE_SHARED(...) GOCXX_THREAD_ANNOTATION(try_acquire_shared_capability(__VA_ARGS__))
// The caller must not hold the lock (the function takes it itself).
#define GOCXX_EXCLUDES(...) GOCXX_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))
// Checks at run time that the lock is held; the analysis then assumes it.
#define GOCXX_ASSERT_CAPABILITY(x) GOCXX_THREAD_ANNOTATION(assert_capability(x))
// The function returns a reference to this lock (an accessor).
#define GOCXX_RETURN_CAPABILITY(x) GOCXX_THREAD_ANNOTATION(lock_returned(x))
// The analysis does not look inside this function. Each use says why in a
// comment: a lock taken here and released by a park commit on the other
// side of a fiber switch, a set of locks taken in a loop, a lock-free
// protocol the analysis cannot express.
#define GOCXX_NO_THREAD_SAFETY_ANALYSIS GOCXX_THREAD_ANNOTATION(no_thread_safety_analysis)

namespace gocxx::detail {

// std::lock_guard with the annotations libstdc++'s lacks: under clang the
// analysis knows `m` is held until the end of the scope, so the guarded
// fields touched there are checked. M is any capability type.
template <class M>
class GOCXX_SCOPED_CAPABILITY LockGuard {
public:
    explicit LockGuard(M& m) GOCXX_ACQUIRE(m) : m_(m) { m_.lock(); }
    ~LockGuard() GOCXX_RELEASE() { m_.unlock(); }
    LockGuard(const LockGuard&) = delete;
    LockGuard& operator=(const LockGuard&) = delete;

private:
    M& m_;
};

// std::unique_lock's unlock() and lock() in the middle of the scope, for
// code that lets go of m around a slow call (the analysis follows both).
template <class M>
class GOCXX_SCOPED_CAPABILITY UniqueLock {
public:
    explicit UniqueLock(M& m) GOCXX_ACQUIRE(m) : m_(m) { m_.lock(); }
    ~UniqueLock() GOCXX_RELEASE() {
        if (owns_) m_.unlock();
    }
    void lock() GOCXX_ACQUIRE() {
        m_.lock();
        owns_ = true;
    }
    void unlock() GOCXX_RELEASE() {
        owns_ = false;
        m_.unlock();
    }
    UniqueLock(const UniqueLock&) = delete;
    UniqueLock& operator=(const UniqueLock&) = delete;

private:
    M& m_;
    bool owns_ = true;
};

// The same for a shared (reader) hold of a sync::RWMutex-like M.
template <class M>
class GOCXX_SCOPED_CAPABILITY SharedLockGuard {
public:
    explicit SharedLockGuard(M& m) GOCXX_ACQUIRE_SHARED(m) : m_(m) { m_.lock_shared(); }
    ~SharedLockGuard() GOCXX_RELEASE() { m_.unlock_shared(); }
    SharedLockGuard(const SharedLockGuard&) = delete;
    SharedLockGuard& operator=(const SharedLockGuard&) = delete;

private:
    M& m_;
};

}  // namespace gocxx::detail
