"""docker-compose.yml is valid where the Compose plugin can check it, and pins the same Neo4j as the tests."""

import shutil
import subprocess

import pytest
import yaml

from tests.helpers import REPO


def test_compose_file_names_the_services_and_the_neo4j_version_of_the_local_tool():
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    assert set(compose["services"]) == {"neo4j", "api"}
    assert compose["services"]["neo4j"]["image"] == "neo4j:5.26-community"
    assert compose["services"]["api"]["depends_on"]["neo4j"]["condition"] == "service_healthy"
    assert "<neo4j.version>5.26." in (REPO / "tools" / "neo4j-local" / "pom.xml").read_text()


def _compose_command() -> list[str] | None:
    if shutil.which("docker") and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0:
        return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]  # Debian's package (Compose v1), enough to validate the file
    return None


def test_docker_compose_config_accepts_the_file():
    command = _compose_command()
    if command is None:
        pytest.skip("neither the docker compose plugin nor docker-compose is installed")
    done = subprocess.run(
        [*command, "-f", str(REPO / "docker-compose.yml"), "config", "--quiet"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
