"""The models of the bpm addon, in the order the loader reads them."""
from .action import FlowAction
from .document import BpmDocument
from .flow import Flow
from .history import History
from .status import Status
from .task import Task
from .transition import Transition

MODELS = [Flow, Status, Transition, FlowAction, History, Task, BpmDocument]
