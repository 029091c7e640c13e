#include "pcustomer/app/password_input.hpp"

#include <termios.h>
#include <unistd.h>

#include <iostream>

#include "pcustomer/auth/password_hasher.hpp"

namespace pcustomer {
namespace {

std::string ReadLine() {
  std::string line;
  std::getline(std::cin, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

std::string PromptHidden(const char* prompt) {
  std::cerr << prompt << std::flush;
  termios saved{};
  tcgetattr(STDIN_FILENO, &saved);
  termios hidden = saved;
  hidden.c_lflag &= static_cast<tcflag_t>(~ECHO);
  tcsetattr(STDIN_FILENO, TCSANOW, &hidden);
  std::string line = ReadLine();
  tcsetattr(STDIN_FILENO, TCSANOW, &saved);
  std::cerr << "\n";
  return line;
}

}  // namespace

Result<std::string> ReadNewPassword(bool from_stdin) {
  std::string password;
  if (from_stdin) {
    password = ReadLine();
  } else {
    if (!isatty(STDIN_FILENO)) {
      return Error::BadRequest(
          "stdin is not a terminal: use --password-stdin to pipe the password");
    }
    password = PromptHidden("New password: ");
    if (PromptHidden("Repeat it: ") != password)
      return Error::BadRequest("the two passwords differ");
  }
  if (Status rules = CheckPasswordRules(password); !rules) {
    return Error::BadRequest(rules.error().reasons.front().desc);
  }
  return password;
}

}  // namespace pcustomer
