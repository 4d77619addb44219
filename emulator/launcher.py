"""Starts moto's server on loopback, patched to answer ECS as AWS does.

moto 5.2 keeps only some CreateService parameters and is laxer than AWS about
paging. This launcher:
  * stores the CreateService parameters moto drops (deploymentConfiguration,
    capacityProviderStrategy, placementConstraints, placementStrategy,
    healthCheckGracePeriodSeconds, enableExecuteCommand) on moto's service
    object, which moto serializes by API name;
  * copies serviceConnectConfiguration into each deployment, where AWS reports it;
  * enforces AWS's limits: at most 10 services per DescribeServices, and
    ListServices pages of maxResults (default 10, at most 100) with nextToken.

With --seed and --clock it answers the same way every run, so the same
requests make the same state:
  * --seed N seeds moto's random generator, which makes every ID moto draws
    (what moto's /moto-api/seed?a=N endpoint does), and gives the default rule
    of a listener such an ID where moto 5.2 uses the rule object's address;
  * --clock INSTANT (ISO 8601, UTC) stops moto's clock there: every creation
    time moto records is that instant.

Usage: python3 launcher.py [--port N] [--seed N] [--clock 2025-01-01T00:00:00Z]
(port 0, the default, picks a free port). Prints
"moto listening on http://127.0.0.1:PORT" once it accepts requests.
"""
import argparse
import datetime
import os
import sys
import time

# AWS-managed policies (AmazonECSTaskExecutionRolePolicy, ...) exist in every
# account; moto loads them only when asked.
os.environ.setdefault("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")

import moto.core.utils
from moto.ecs.exceptions import InvalidParameterException
from moto.elbv2.models import FakeRule
from moto.moto_api._internal import mock_random
from moto.ecs.responses import EC2ContainerServiceResponse
from moto.core.responses import ActionResult
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import make_server

DROPPED_CREATE_SERVICE_PARAMS = [
    "deploymentConfiguration",
    "capacityProviderStrategy",
    "placementConstraints",
    "placementStrategy",
    "healthCheckGracePeriodSeconds",
    "enableExecuteCommand",
]
DESCRIBE_SERVICES_LIMIT = 10
LIST_SERVICES_DEFAULT = 10
LIST_SERVICES_MAX = 100

original_create_service = EC2ContainerServiceResponse.create_service
original_list_services = EC2ContainerServiceResponse.list_services
original_describe_services = EC2ContainerServiceResponse.describe_services


def create_service(self):
    result = original_create_service(self)
    service = result.result["service"]
    for name in DROPPED_CREATE_SERVICE_PARAMS:
        value = self._get_param(name)
        if value is not None:
            setattr(service, name, value)
    if getattr(service, "enableExecuteCommand", None) is None:
        service.enableExecuteCommand = False
    connect = self._get_param("serviceConnectConfiguration")
    if connect is not None:
        for deployment in service.deployments:
            deployment["serviceConnectConfiguration"] = connect
    return result


def list_services(self):
    result = original_list_services(self)
    arns = result.result["serviceArns"]
    max_results = self._get_param("maxResults")
    if max_results is None:
        max_results = LIST_SERVICES_DEFAULT
    if not isinstance(max_results, int) or max_results < 1 or max_results > LIST_SERVICES_MAX:
        raise InvalidParameterException(f"maxResults must be between 1 and {LIST_SERVICES_MAX}.")
    token = self._get_param("nextToken")
    start = int(token) if token else 0
    page = {"serviceArns": arns[start:start + max_results]}
    if start + max_results < len(arns):
        page["nextToken"] = str(start + max_results)
    return ActionResult(page)


def describe_services(self):
    services = self._get_param("services", [])
    if len(services) > DESCRIBE_SERVICES_LIMIT:
        raise InvalidParameterException(
            f"services can have at most {DESCRIBE_SERVICES_LIMIT} items."
        )
    return original_describe_services(self)


EC2ContainerServiceResponse.create_service = create_service
EC2ContainerServiceResponse.list_services = list_services
EC2ContainerServiceResponse.describe_services = describe_services

original_rule_init = FakeRule.__init__


def rule_init(self, *args, **kwargs):
    """moto 5.2 ends a default rule's ARN with id(self), which differs every run; AWS ends it with 16 hex digits."""
    original_rule_init(self, *args, **kwargs)
    suffix = f"/{id(self)}"
    if self.arn.endswith(suffix):
        self.arn = self.arn[: -len(suffix)] + "/" + mock_random.get_random_hex(16)


FakeRule.__init__ = rule_init


def stop_clock(instant):
    """Every clock moto reads: moto.core.utils.utcnow (also where modules imported it by name) and time.time."""
    naive = instant.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    original = moto.core.utils.utcnow

    def utcnow():
        return naive

    moto.core.utils.utcnow = utcnow
    for name, module in list(sys.modules.items()):
        if name.startswith("moto.") and getattr(module, "utcnow", None) is original:
            module.utcnow = utcnow
    # efs, applicationautoscaling and secretsmanager call time.time(); nothing the server itself
    # does waits on it (sockets and threads use the monotonic clock).
    seconds = instant.timestamp()
    time.time = lambda: seconds


def parse_instant(text):
    instant = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if instant.tzinfo is None:
        raise argparse.ArgumentTypeError(f"{text} has no time zone; end it with Z")
    return instant


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--seed", type=int)
    parser.add_argument("--clock", type=parse_instant)
    args = parser.parse_args()
    if args.seed is not None:
        mock_random.seed(args.seed)
    if args.clock is not None:
        stop_clock(args.clock)
    app = DomainDispatcherApplication(create_backend_app)
    server = make_server("127.0.0.1", args.port, app, threaded=True)
    print(f"moto listening on http://127.0.0.1:{server.server_port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
