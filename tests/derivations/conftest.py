"""Print the mutation test's kill rate in the test session's summary (not only under ``-s``)."""


def pytest_configure(config):
    config.mlv_summary = []


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    for line in getattr(config, "mlv_summary", []):
        terminalreporter.write_line(line)
