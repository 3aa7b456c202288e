// placeholder
#define BOOST_TEST_MODULE http_mux
#include <boost/test/unit_test.hpp>
BOOST_AUTO_TEST_CASE(placeholder) {}
