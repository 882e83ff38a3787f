#pragma once

// The Asio names of the transport. Only src/http/ includes this (and Beast): the rest of the
// server never parses them.
#include <boost/asio/ip/tcp.hpp>

namespace boost::asio::ssl {
class context;
}  // namespace boost::asio::ssl

namespace open311::http {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = net::ip::tcp;

}  // namespace open311::http
