// The umbrella header: everything gocxx offers.
#pragma once
#include <gocxx/chan.hpp>
#include <gocxx/go.hpp>
#include <gocxx/panic.hpp>
#include <gocxx/runtime.hpp>
#include <gocxx/select.hpp>
#include <gocxx/sync/waitgroup.hpp>
#include <gocxx/time/sleep.hpp>
