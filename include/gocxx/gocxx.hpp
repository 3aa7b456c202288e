// The umbrella header: everything gocxx offers.
#pragma once
#include <gocxx/chan.hpp>
#include <gocxx/context/context.hpp>
#include <gocxx/error.hpp>
#include <gocxx/errgroup/group.hpp>
#include <gocxx/go.hpp>
#include <gocxx/panic.hpp>
#include <gocxx/runtime.hpp>
#include <gocxx/select.hpp>
#include <gocxx/sync/cond.hpp>
#include <gocxx/sync/mutex.hpp>
#include <gocxx/sync/once.hpp>
#include <gocxx/sync/semaphore.hpp>
#include <gocxx/sync/waitgroup.hpp>
#include <gocxx/time/sleep.hpp>
#include <gocxx/time/timer.hpp>
