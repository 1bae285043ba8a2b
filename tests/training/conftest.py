import pytest

from tests.factories import make_curriculum, make_trainer
from tests.training.support import CERTIFIED_ON, Course


@pytest.fixture
def course(world) -> Course:
    """A curriculum and a trainer certified for it since long before any event of the tests."""
    curriculum = make_curriculum(world.trainer)
    trainer = make_trainer(world.trainer, curricula=[curriculum], certified_on=CERTIFIED_ON)
    return Course(curriculum, trainer, world.trainer)
