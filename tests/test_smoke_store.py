from sqlalchemy import text
from sqlalchemy.engine import Engine


def test_store_at_head_has_tables(engine: Engine) -> None:
    with engine.connect() as conn:
        version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    assert version == "0002"
