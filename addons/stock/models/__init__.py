"""The models of the stock addon, in the order the registry reads them."""
from .availability import StockAvailability
from .inventory import StockInventory, StockInventoryLine
from .product import ProductStock
from .purchase import PurchaseOrder, PurchaseOrderLine
from .receipt import StockReceipt, StockReceiptLine
from .reservation import StockReservation
from .stock_level import StockLevel
from .stock_move import StockMove
from .supplierinfo import SupplierInfo
from .warehouse import Warehouse

MODELS = [Warehouse, StockLevel, StockMove, StockReservation, SupplierInfo, StockAvailability, ProductStock,
          StockInventory, StockInventoryLine, PurchaseOrder, PurchaseOrderLine, StockReceipt, StockReceiptLine]
